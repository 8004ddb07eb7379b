import { AppError } from '../core/app-error';
import { detectFileType, type FileKind } from './detect-file-type';
import { extractDocx } from './extract-docx';
import { countNonWhitespace, extractPdf, MIN_TEXT_CHARS, replaceLigatures } from './extract-pdf';
import { extractPlainText } from './extract-plain-text';
import type { HiddenSpan } from './hidden-span';

export type { FileKind } from './detect-file-type';

export interface ExtractOptions {
  /** PDFs with more pages are refused; a resume has a few. Default 50. */
  maxPages?: number;
  /** Time allowed for one document. Default 20 000 ms. */
  timeoutMs?: number;
  /** Memory one PDF may take while it is read (a soft limit, checked between pages). Default 512 MiB. */
  maxMemoryBytes?: number;
}

export interface ExtractedDocument {
  kind: FileKind;
  /** NFC, LF line ends, no ligature characters; PDFs also get line layout and hyphen repair. */
  text: string;
  /** PDFs only. */
  pageCount: number | null;
  charCount: number;
  /** Things a reviewer may want to know about how the text was read (an encoding fallback, say). */
  warnings: string[];
  /** Text a human would not see; already left out of `text`. */
  hidden: HiddenSpan[];
}

const DEFAULT_MAX_PAGES = 50;
const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_MEMORY_BYTES = 512 * 1024 * 1024;

const CONTENT_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
};

/** The Content-Type to store and serve a file of this kind with (never the one the client sent). */
export const contentTypeFor = (kind: FileKind): string => CONTENT_TYPES[kind];

/**
 * Reads a resume's text. The type comes from the bytes; every failure is an `AppError` a recruiter can act on:
 * 415 for a file type we do not read, 422 for a file we cannot read (empty, encrypted, scanned, damaged, too long).
 */
export async function extractDocument(
  bytes: Uint8Array,
  options: ExtractOptions = {},
): Promise<ExtractedDocument> {
  const kind = detectFileType(bytes);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;

  let raw: { text: string; warnings: string[]; hidden: HiddenSpan[] };
  let pageCount: number | null = null;
  switch (kind) {
    case 'pdf': {
      const pdf = await extractPdf(bytes, { maxPages, timeoutMs, maxMemoryBytes });
      raw = pdf;
      pageCount = pdf.pageCount;
      break;
    }
    case 'docx':
      raw = await extractDocx(bytes, { timeoutMs });
      break;
    case 'text':
      raw = { ...extractPlainText(bytes), hidden: [] };
      break;
  }

  const text = finishText(raw.text);
  if (countNonWhitespace(text) < MIN_TEXT_CHARS) {
    throw new AppError('unprocessable', 'no_extractable_text', 'The file has too little text to screen.', {
      details: { kind },
    });
  }
  return { kind, text, pageCount, charCount: text.length, warnings: raw.warnings, hidden: raw.hidden };
}

/** What every kind gets, whatever its extractor did: one line-end convention, no ligatures, NFC, no edge blanks. */
export function finishText(text: string): string {
  return trimLineEnds(replaceLigatures(text.replace(/\r\n?/g, '\n')))
    .normalize('NFC')
    .trim();
}

/**
 * Spaces and tabs off the end of every line. Line by line and from the end, so linear: `/[ \t]+$/gm` retries from
 * every blank of a long run that is not at a line end (50 KB of spaces mid-line took 11 s).
 */
function trimLineEnds(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let end = line.length;
      while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
      return end === line.length ? line : line.slice(0, end);
    })
    .join('\n');
}
