import { AppError } from '../core/app-error';
import { listZipEntries } from './detect-file-type';

export interface DocxTextResult {
  text: string;
  warnings: string[];
}

/**
 * A resume's DOCX expands to a few MB at most. mammoth inflates every part it reads in memory, so a zip bomb is
 * refused up front from the sizes the archive declares (a liar is caught when inflating fails its size check).
 */
const MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

export async function extractDocx(bytes: Uint8Array): Promise<DocxTextResult> {
  const declared = listZipEntries(bytes).reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (declared > MAX_UNCOMPRESSED_BYTES) {
    throw new AppError('payload_too_large', 'file_too_large', 'The DOCX expands to more than 64 MB.', {
      details: { limitBytes: MAX_UNCOMPRESSED_BYTES },
    });
  }

  // Loaded on first use: mammoth is only needed by the code path that reads DOCX files.
  const { default: mammoth } = await import('mammoth');
  let value: string;
  let messages: ReadonlyArray<{ type: string; message: string }>;
  try {
    ({ value, messages } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    throw new AppError('unprocessable', 'corrupt_file', 'The DOCX file is damaged and cannot be read.', {
      cause: error,
    });
  }

  const text = value
    .replace(/\r\n?/g, '\n')
    // Word's optional hyphen is invisible unless it falls at a line end; it is not part of the word.
    .replaceAll('\u00ad', '')
    .normalize('NFC');
  if (text.trim() === '') {
    throw new AppError('unprocessable', 'no_extractable_text', 'The DOCX file contains no text.');
  }
  const warnings = messages.filter((m) => m.type === 'warning').map((m) => `DOCX: ${m.message}`);
  return { text, warnings };
}
