import { describe, expect, it } from 'vitest';
import { docxBomb, peakGrowth } from '../../tests/support/bombs';
import { AppError } from '../core/app-error';
import { MAX_DOCX_PART_BYTES, MAX_DOCX_UNCOMPRESSED_BYTES, readDocxParts } from './docx-package';
import { extractDocument } from './extract';

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';
const GiB = 1024 ** 3;

async function refusal(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readDocxParts', () => {
  it('reads a package whose part inflates to what it declares (the positive control for the bombs below)', async () => {
    const { docx, inflatedBytes } = docxBomb({ text: ABOUT, inflatedBytes: 1024 * 1024 });
    const parts = readDocxParts(docx);
    expect(parts.get('word/document.xml')?.length).toBe(inflatedBytes);
    expect((await extractDocument(docx)).text).toBe(ABOUT);
  });

  it('refuses a part that inflates past the size it declares, stopping there: 1 GiB declared as 4 KB', async () => {
    const { docx } = docxBomb({ text: ABOUT, inflatedBytes: GiB, declaredBytes: 4096 });
    expect(docx.length).toBeLessThan(2 * 1024 * 1024);
    const { outcome, grownBytes } = await peakGrowth(() => extractDocument(docx));
    expect(outcome.status).toBe('rejected');
    const error = outcome.status === 'rejected' ? outcome.reason : null;
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422, code: 'corrupt_file' });
    expect((error as AppError).details).toMatchObject({ part: 'word/document.xml', declaredBytes: 4096 });
    // Loose on purpose (the whole process is measured): inflating the gigabyte would cost far more.
    expect(grownBytes).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses a part declared over the per-part limit before inflating anything', async () => {
    const { docx, inflatedBytes } = docxBomb({ text: ABOUT, inflatedBytes: 100 * 1024 * 1024 });
    const error = await refusal(() => readDocxParts(docx));
    expect(error).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(error.details).toEqual({
      limitBytes: MAX_DOCX_PART_BYTES,
      part: 'word/document.xml',
      declaredBytes: inflatedBytes,
    });
  });

  it('refuses a package whose parts are each under the limit but together over it', async () => {
    const { docx, inflatedBytes } = docxBomb({ text: ABOUT, inflatedBytes: 30 * 1024 * 1024, extraParts: 2 });
    const error = await refusal(() => extractDocument(docx));
    expect(error).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(error.details).toMatchObject({ limitBytes: MAX_DOCX_UNCOMPRESSED_BYTES });
    expect(error.details?.declaredBytes).toBeGreaterThan(3 * inflatedBytes);
  });

  it('refuses a part whose checksum does not match, naming it', async () => {
    const truth = docxBomb({ text: ABOUT, inflatedBytes: 4096 }).inflatedBytes;
    // The right size, but the CRC-32 of a liar (zero).
    const { docx } = docxBomb({ text: ABOUT, inflatedBytes: 4096, declaredBytes: truth });
    const error = await refusal(() => extractDocument(docx));
    expect(error).toMatchObject({ status: 422, code: 'corrupt_file' });
    expect(error.details).toMatchObject({ part: 'word/document.xml' });
  });
});
