import { describe, expect, it } from 'vitest';
import { type PdfBombEncoding, pdfBomb, pdfBrotliBomb } from '../../tests/support/bombs';
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
  'f-key',
  'unknown-then-flate',
  'flate-unknown-flate',
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

  it('reads a Brotli page under the limit and refuses one over it, before pdf.js', async () => {
    const small = await pdfBrotliBomb({ text: ABOUT, inflatedBytes: 1024 * 1024 });
    expect((await checkPdfStreams(small.pdf)).decodedBytes).toBeGreaterThanOrEqual(small.inflatedBytes);
    expect((await extractDocument(small.pdf)).text).toBe(ABOUT);

    const bomb = await pdfBrotliBomb({ text: ABOUT, inflatedBytes: GiB });
    expect(bomb.pdf.length).toBeLessThan(1024 * 1024);
    const error = await refusal(() => extractDocument(bomb.pdf));
    expect(error).toMatchObject({ status: 413, code: 'file_too_large' });
    const { decodedBytes } = error.details as { decodedBytes: number };
    expect(decodedBytes).toBeGreaterThan(MAX_PDF_DECODED_BYTES);
    expect(decodedBytes).toBeLessThan(MAX_PDF_DECODED_BYTES + 8 * 1024 * 1024);
  });

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

  describe('streams without an end', () => {
    const header = '%PDF-1.4\n';
    const stream = (i: number) => `${i} 0 obj<</Filter/AHx>>stream\n${'41'.repeat(50)}>\n`;
    const unended = (count: number, tail = '') =>
      new TextEncoder().encode(
        header + Array.from({ length: count }, (_, i) => stream(i + 1)).join('') + tail,
      );

    it('reads each stream to the next object when no endstream follows: every byte once', async () => {
      const pdf = unended(5_000);
      const scan = await checkPdfStreams(pdf);
      expect(scan.streams).toBe(5_000);
      expect(scan.decodedBytes).toBe(5_000 * 50);
      // Read to the end of the file, the 5,000 streams would add up to about 2,500 times the file.
      expect(scan.scannedBytes).toBeLessThanOrEqual(pdf.length);
    });

    it('refuses as damaged thousands of streams that all run to one endstream at the end', async () => {
      const pdf = unended(5_000, 'endstream\n');
      const error = await refusal(() => checkPdfStreams(pdf));
      expect(error).toMatchObject({ status: 422, code: 'corrupt_file' });
      expect(error.message).toBe('The PDF file is damaged and cannot be read.');
      const { fileBytes, scannedBytes } = error.details as { fileBytes: number; scannedBytes: number };
      expect(fileBytes).toBe(pdf.length);
      // Stopped at the work limit (a few times the file), not after reading the file once per stream.
      expect(scannedBytes).toBeGreaterThan(4 * pdf.length);
      expect(scannedBytes).toBeLessThan(4 * pdf.length + 2 * 1024 * 1024);
    });

    it('ends a stream at the first endstream past its declared length, or else past its start', async () => {
      const data = `${'41'.repeat(10)} endstream 42 endstream\n`;
      const pdf = (length: number) =>
        new TextEncoder().encode(`%PDF-1.4\n1 0 obj<</Length ${length}/Filter/AHx>>stream\n${data}endobj\n`);
      const read = async (length: number) => (await checkPdfStreams(pdf(length))).scannedBytes;
      expect(await read(20)).toBe(data.indexOf('endstream'));
      // Past the first endstream: to the second (pdf.js, finding no endstream at its length, stops at the first).
      expect(await read(30)).toBe(data.lastIndexOf('endstream'));
      // Past the last one: pdf.js reads to the first one after the start.
      expect(await read(data.length + 2)).toBe(data.indexOf('endstream'));
    });
  });
});
