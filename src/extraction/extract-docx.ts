import { strFromU8, strToU8, zipSync } from 'fflate';
import { AppError } from '../core/app-error';
import { cutHidden, findDocxHidden } from './docx-hidden';
import { readDocxParts } from './docx-package';
import type { HiddenSpan } from './hidden-span';

export interface DocxTextResult {
  text: string;
  warnings: string[];
  hidden: HiddenSpan[];
}

export interface DocxExtractOptions {
  timeoutMs: number;
}

const DOCUMENT = 'word/document.xml';
const STYLES = 'word/styles.xml';

export async function extractDocx(bytes: Uint8Array, options: DocxExtractOptions): Promise<DocxTextResult> {
  const deadline = performance.now() + options.timeoutMs;
  // Every part inflated with a bound, checked against its declaration (`docx-package.ts`): mammoth never inflates.
  const parts = readDocxParts(bytes);
  // Hidden runs are found in the XML and cut out of it before mammoth reads the text, so they never reach `text`.
  const { input, hidden } = withoutHiddenText(parts);
  if (performance.now() > deadline) throw timeoutError(options.timeoutMs);

  // Loaded on first use: mammoth is only needed by the code path that reads DOCX files.
  const { default: mammoth } = await import('mammoth');
  let value: string;
  let messages: ReadonlyArray<{ type: string; message: string }>;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(timeoutError(options.timeoutMs)),
        Math.max(0, deadline - performance.now()),
      );
    });
    ({ value, messages } = await Promise.race([
      mammoth.extractRawText({ buffer: Buffer.from(input) }),
      timeout,
    ]));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('unprocessable', 'corrupt_file', 'The DOCX file is damaged and cannot be read.', {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }

  const text = value
    .replace(/\r\n?/g, '\n')
    // Word's optional hyphen is invisible unless it falls at a line end; it is not part of the word.
    .replaceAll('\u00ad', '')
    // A paragraph left empty (its text was hidden, or it was blank) is one blank line at most.
    .replace(/\n{3,}/g, '\n\n')
    .normalize('NFC');
  if (text.trim() === '') {
    throw new AppError(
      'unprocessable',
      'no_extractable_text',
      hidden.length > 0
        ? 'The DOCX file has no visible text: all of its text is hidden from a reader.'
        : 'The DOCX file contains no text.',
      { details: { hiddenSpans: hidden.length } },
    );
  }
  const warnings = messages.filter((m) => m.type === 'warning').map((m) => `DOCX: ${m.message}`);
  return { text, warnings, hidden };
}

/**
 * The DOCX rebuilt from its checked parts, with its hidden runs' text removed, and the spans that were removed. The
 * parts are stored uncompressed, so mammoth reads them straight back and inflates nothing.
 */
function withoutHiddenText(parts: Map<string, Uint8Array>): { input: Uint8Array; hidden: HiddenSpan[] } {
  const documentXml = parts.get(DOCUMENT);
  if (!documentXml) {
    throw new AppError('unprocessable', 'corrupt_file', 'The DOCX file has no document body.');
  }
  const xml = strFromU8(documentXml);
  const styles = parts.get(STYLES);
  const found = findDocxHidden(xml, styles ? strFromU8(styles) : null);
  if (found.cuts.length > 0) parts.set(DOCUMENT, strToU8(cutHidden(xml, found.cuts)));
  return { input: zipSync(Object.fromEntries(parts), { level: 0 }), hidden: found.hidden };
}

function timeoutError(timeoutMs: number): AppError {
  return new AppError(
    'unprocessable',
    'extraction_timeout',
    `Reading the DOCX took longer than ${timeoutMs} ms.`,
    { details: { timeoutMs } },
  );
}
