import { describe, expect, it } from 'vitest';
import { docxBody, makeDocx, pdfCanvas, solidPng } from '../../tests/support/documents';
import { AppError } from '../core/app-error';
import { detectFileType } from './detect-file-type';
import { type ExtractOptions, extractDocument } from './extract';

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';

async function failure(input: Uint8Array, options?: ExtractOptions): Promise<AppError> {
  try {
    await extractDocument(input, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected extraction to fail');
}

describe('encodings', () => {
  it('reads UTF-16 without a byte order mark, little- and big-endian, and says so', async () => {
    const text = `Zoë Żółć\n${ABOUT}`;
    const le = new Uint8Array(Buffer.from(text, 'utf16le'));
    const be = new Uint8Array(Buffer.from(text, 'utf16le').swap16());
    for (const [bytes, name] of [
      [le, 'UTF-16LE'],
      [be, 'UTF-16BE'],
    ] as const) {
      expect(detectFileType(bytes)).toBe('text');
      const doc = await extractDocument(bytes);
      expect(doc.text).toBe(text);
      expect(doc.warnings).toEqual([`The text has no byte order mark; it was read as ${name}.`]);
    }
  });
});

describe('password-protected Word documents', () => {
  it('answers 422 encrypted_document for an OLE2 container with an EncryptedPackage stream', async () => {
    // The start of a compound file: the OLE2 signature, and the directory entry name in UTF-16LE further on.
    const bytes = new Uint8Array(2048);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    bytes.set(Buffer.from('EncryptedPackage', 'utf16le'), 1024);
    const error = await failure(bytes);
    expect(error.status).toBe(422);
    expect(error.code).toBe('encrypted_document');
    expect(error.message).toMatch(/password-protected/);
  });

  it('still answers 415 for a legacy .doc, naming the accepted types', async () => {
    const bytes = new Uint8Array(2048);
    bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    bytes.set(Buffer.from('WordDocument', 'utf16le'), 1024);
    const error = await failure(bytes);
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/PDF, DOCX, plain text or Markdown/);
  });
});

describe('limits', () => {
  it('stops a PDF that grows past its memory budget, between pages, with 422 extraction_memory_limit', async () => {
    const c = await pdfCanvas();
    // A 1000 x 1000 image decodes to 4 MB of pixels: far past a budget of one byte.
    const photo = await c.doc.embedPng(solidPng(1000, 1000, [200, 180, 160]));
    for (let n = 1; n <= 3; n++) {
      const page = c.addPage();
      page.drawImage(photo, { x: 400, y: 600, width: 150, height: 150 });
      c.text(page, `Page ${n}. ${ABOUT}`, { x: 40, y: 700, size: 9 });
    }
    const pdf = await c.save();
    const error = await failure(pdf, { maxMemoryBytes: 1 });
    expect(error.status).toBe(422);
    expect(error.code).toBe('extraction_memory_limit');
    expect(error.details).toEqual({ limitBytes: 1 });
    // Positive control: with the default budget the same file reads.
    expect((await extractDocument(pdf)).pageCount).toBe(3);
  });

  it('stops a DOCX that takes longer than the time limit', async () => {
    const paragraphs = Array.from({ length: 2000 }, (_, i) => `Paragraph ${i}. ${ABOUT}`);
    const docx = makeDocx(docxBody(paragraphs));
    const error = await failure(docx, { timeoutMs: 1 });
    expect(error.code).toBe('extraction_timeout');
    expect(error.status).toBe(422);
    expect((await extractDocument(docx)).text).toContain('Paragraph 1999.');
  });
});
