import { describe, expect, it } from 'vitest';
import { type PdfBombEncoding, pdfBomb } from '../../tests/support/bombs';
import { corpusResumes } from '../../tests/support/resumes';
import { AppError } from '../core/app-error';
import { extractDocument } from './extract';
import { checkPdfStreams, MAX_PDF_DECODED_BYTES } from './pdf-streams';

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';
const GiB = 1024 ** 3;
const ENCODINGS: PdfBombEncoding[] = [
  'flate',
  'hex-then-flate',
  'flate-twice',
  'decoy-filter',
  'indirect-filter',
];

async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkPdfStreams', () => {
  it('passes the corpus resumes, having decoded their streams', async () => {
    for (const { name, bytes } of corpusResumes().filter((r) => r.name.endsWith('.pdf'))) {
      const scan = await checkPdfStreams(bytes);
      expect(scan.streams, name).toBeGreaterThan(0);
      expect(scan.decodedBytes, name).toBeGreaterThan(bytes.length / 2);
    }
  });

  for (const encoding of ENCODINGS) {
    it(`reads a page under the limit and refuses one over it, before pdf.js: ${encoding}`, async () => {
      // The positive control: the same construction, small, is a page pdf.js reads, so the stream is what it reads.
      const small = pdfBomb({ text: ABOUT, inflatedBytes: 1024 * 1024, encoding });
      expect((await checkPdfStreams(small.pdf)).decodedBytes).toBeGreaterThanOrEqual(small.inflatedBytes);
      expect((await extractDocument(small.pdf)).text).toBe(ABOUT);

      const bomb = pdfBomb({ text: ABOUT, inflatedBytes: GiB, encoding });
      expect(bomb.pdf.length).toBeLessThan(3 * 1024 * 1024);
      const error = await refusal(() => extractDocument(bomb.pdf));
      expect(error).toMatchObject({ status: 413, code: 'file_too_large' });
      expect(error.message).toMatch(/PDF expands to more than 128 MB/);
      const { limitBytes, decodedBytes } = error.details as { limitBytes: number; decodedBytes: number };
      expect(limitBytes).toBe(MAX_PDF_DECODED_BYTES);
      // Stopped just past the limit (a chunk, and for two filters the first one's output): far from the gigabyte.
      expect(decodedBytes).toBeGreaterThan(limitBytes);
      expect(decodedBytes).toBeLessThan(limitBytes + 8 * 1024 * 1024);
    });
  }

  it('counts every stream against one budget', async () => {
    const { pdf, inflatedBytes } = pdfBomb({ text: ABOUT, inflatedBytes: 1024 * 1024 });
    const error = await refusal(() => checkPdfStreams(pdf, inflatedBytes - 1));
    expect(error.details).toMatchObject({ limitBytes: inflatedBytes - 1 });
    expect((await checkPdfStreams(pdf, inflatedBytes + 1024)).decodedBytes).toBeGreaterThanOrEqual(
      inflatedBytes,
    );
  });

  it('refuses a file built to make the scan read the same bytes over and over, as damaged', async () => {
    // Every object opens a string that never closes: each would be read to the end of the file.
    const pdf = new TextEncoder().encode(`%PDF-1.4\n${'1 0 obj (\n'.repeat(50_000)}%%EOF\n`);
    const error = await refusal(() => checkPdfStreams(pdf));
    expect(error).toMatchObject({ status: 422, code: 'corrupt_file' });
  });
});
