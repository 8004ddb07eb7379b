import type { PDFDocumentLoadingTask, PDFPageProxy } from 'pdfjs-dist';
import { AppError } from '../core/app-error';

/**
 * PDF text with pdf.js (legacy build: it runs on Node 20 without DOMMatrix). In Node pdf.js runs its "worker" in
 * this thread (a fake worker it loads itself), so no worker file needs configuring, but a long parse does block.
 *
 * The work is in two stages so later passes can slot in between them: `readPages` keeps every run of text with its
 * position (`PdfPage`), then `layOutPage` turns positioned runs into lines. Hidden-text detection and a two-column
 * reading order belong to the first structure, before layout.
 */

export interface PdfExtractOptions {
  maxPages: number;
  timeoutMs: number;
}

/** A run of text as pdf.js places it, in PDF user space: origin bottom-left, y grows upwards, units are points. */
export interface PositionedText {
  text: string;
  /** Baseline start. */
  x: number;
  y: number;
  width: number;
  /** Font size on the page (text matrix times font size). */
  size: number;
  /** pdf.js saw the text move on to a new line after this run. */
  hasEOL: boolean;
  /** Upright, unrotated text; rotated runs (a vertical sidebar label) are laid out apart. */
  horizontal: boolean;
  fontName: string;
}

export interface PdfPage {
  pageNumber: number;
  width: number;
  height: number;
  /** In content-stream order. */
  items: PositionedText[];
}

export interface PdfTextResult {
  text: string;
  pageCount: number;
  pages: PdfPage[];
  warnings: string[];
}

/** Below this many non-whitespace characters a PDF has no usable text layer (a scan, or an empty page). */
export const MIN_TEXT_CHARS = 20;
/** How far, as a share of the font size, a baseline may rise or drop and still belong to the line. */
const SUPERSCRIPT_RISE = 0.5;
const SUBSCRIPT_DROP = 0.3;
/** A horizontal gap wider than this share of the font size separates words (a space is about 0.25 em). */
const WORD_GAP = 0.15;
const SOFT_HYPHEN = '\u00ad';

export async function extractPdf(bytes: Uint8Array, options: PdfExtractOptions): Promise<PdfTextResult> {
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const deadline = performance.now() + options.timeoutMs;
  const task = getDocument({
    // pdf.js transfers the buffer it is given to its worker, which detaches it: it gets a copy, the caller keeps
    // theirs (intake hashes the upload after extracting it).
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    // Text does not need images; this keeps the operator list (read below) from decoding any.
    maxImageSize: 0,
    verbosity: VerbosityLevel.ERRORS,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(options.timeoutMs)), options.timeoutMs);
  });
  try {
    const pages = await Promise.race([readPages(task, options, deadline), timeout]);
    const text = cleanPdfText(
      pages
        .map(layOutPage)
        .filter((page) => page !== '')
        .join('\n\n'),
    );
    if (countNonWhitespace(text) < MIN_TEXT_CHARS) {
      throw new AppError(
        'unprocessable',
        'no_extractable_text',
        'The PDF has no text layer (is it a scan?). Upload a PDF with selectable text, a DOCX or a text file.',
      );
    }
    return { text, pageCount: pages.length, pages, warnings: [] };
  } finally {
    clearTimeout(timer);
    // Frees the document and the fake worker; on timeout it also stops the parse at its next step.
    await task.destroy();
  }
}

async function readPages(
  task: PDFDocumentLoadingTask,
  options: PdfExtractOptions,
  deadline: number,
): Promise<PdfPage[]> {
  let doc: Awaited<PDFDocumentLoadingTask['promise']>;
  try {
    doc = await task.promise;
  } catch (error) {
    throw classifyPdfError(error);
  }
  if (doc.numPages > options.maxPages) {
    throw new AppError(
      'unprocessable',
      'too_many_pages',
      `The PDF has ${doc.numPages} pages; at most ${options.maxPages} are accepted for a resume.`,
      { details: { pageCount: doc.numPages, maxPages: options.maxPages } },
    );
  }
  const pages: PdfPage[] = [];
  for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) {
    // The timer cannot fire while pdf.js works synchronously; checking between pages bounds the overrun.
    if (performance.now() > deadline) throw timeoutError(options.timeoutMs);
    try {
      pages.push(await readPage(await doc.getPage(pageNumber)));
    } catch (error) {
      throw classifyPdfError(error);
    }
  }
  return pages;
}

async function readPage(page: PDFPageProxy): Promise<PdfPage> {
  const content = await page.getTextContent({ disableNormalization: true });
  const runs = content.items.filter((item) => 'str' in item);
  let texts = runs.map((run) => run.str);
  if (texts.some((text) => text.trim() !== '')) {
    texts = restoreSoftHyphens(texts, await glyphText(page)) ?? texts;
  }
  const items = runs.map((run, i): PositionedText => {
    const [a = 1, b = 0, c = 0, d = 1, x = 0, y = 0] = run.transform as number[];
    return {
      text: texts[i] ?? run.str,
      x,
      y,
      width: run.width,
      size: Math.hypot(c, d),
      hasEOL: run.hasEOL,
      horizontal: a > 0 && Math.abs(b) < 1e-3 * a,
      fontName: run.fontName,
    };
  });
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  return { pageNumber: page.pageNumber, width: x1 - x0, height: y1 - y0, items };
}

/** Every glyph's Unicode text in drawing order, from the operator list (which pdf.js filters less than text). */
async function glyphText(page: PDFPageProxy): Promise<string> {
  const { OPS, AnnotationMode } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const { fnArray, argsArray } = await page.getOperatorList({ annotationMode: AnnotationMode.DISABLE });
  let text = '';
  for (let i = 0; i < fnArray.length; i++) {
    if (fnArray[i] !== OPS.showText) continue;
    const glyphs: unknown = argsArray[i]?.[0];
    if (!Array.isArray(glyphs)) continue;
    for (const glyph of glyphs) {
      if (
        typeof glyph === 'object' &&
        glyph !== null &&
        'unicode' in glyph &&
        typeof glyph.unicode === 'string'
      ) {
        text += glyph.unicode;
      }
    }
  }
  return text;
}

/**
 * pdf.js drops from its text content every glyph whose Unicode value is a format character (category Cf), and
 * U+00AD is one. TeX (LuaTeX with fontspec, as in the awesome-cv template) maps its visible hyphen to U+00AD, so
 * "high-impact" would come out "highimpact". The operator list still has every glyph: walking both in step puts
 * the soft hyphens back into the runs. Returns null when the two disagree; the caller keeps pdf.js's text then.
 */
export function restoreSoftHyphens(runs: readonly string[], glyphs: string): string[] | null {
  if (!glyphs.includes(SOFT_HYPHEN)) return [...runs];
  const out = runs.map(() => '');
  let g = 0;
  let lastNonEmpty = -1;
  for (let k = 0; k < runs.length; k++) {
    for (const char of runs[k] ?? '') {
      // pdf.js adds spaces for gaps and turns all whitespace into U+0020: whitespace in a run proves nothing.
      if (/\s/u.test(char)) {
        out[k] += char;
        continue;
      }
      let hyphens = '';
      while (g < glyphs.length && !glyphs.startsWith(char, g)) {
        const skipped = glyphs[g] ?? '';
        if (skipped === SOFT_HYPHEN) hyphens += skipped;
        else if (!/[\s\p{Cf}]/u.test(skipped)) return null;
        g++;
      }
      if (g >= glyphs.length) return null;
      g += char.length;
      // A hyphen found before a run's first character ends the previous run: that is where a line breaks.
      const startsRun = (out[k] ?? '').trim() === '';
      if (hyphens && startsRun && lastNonEmpty >= 0) out[lastNonEmpty] += hyphens;
      else out[k] += hyphens;
      out[k] += char;
      lastNonEmpty = k;
    }
  }
  return out;
}

/** Top-to-bottom lines, each left-to-right; rotated runs follow, one a line. */
export function layOutPage(page: PdfPage): string {
  const upright = page.items.filter((item) => item.horizontal && item.text !== '');
  const rotated = page.items.filter((item) => !item.horizontal && item.text.trim() !== '');
  return [...groupIntoLines(upright).map(joinLine), ...rotated.map((item) => item.text.trim())]
    .filter((line) => line !== '')
    .join('\n');
}

function groupIntoLines(items: readonly PositionedText[]): PositionedText[][] {
  const sorted = [...items].sort((p, q) => q.y - p.y || p.x - q.x);
  const lines: PositionedText[][] = [];
  let line: PositionedText[] = [];
  // The line's largest run so far: baselines are compared with it, so a line cannot drift down the page.
  let anchor: PositionedText | undefined;
  for (const item of sorted) {
    if (anchor && onSameLine(anchor, item)) {
      line.push(item);
      if (item.size > anchor.size) anchor = item;
      continue;
    }
    line = [item];
    lines.push(line);
    anchor = item;
  }
  return lines.map((runs) => runs.sort((p, q) => p.x - q.x));
}

/**
 * Whether the smaller run's baseline sits within the larger run's band: up to half its size above (a superscript)
 * and a little below (a subscript). Measured on the larger run, so a big name above a small subtitle stays apart.
 */
function onSameLine(a: PositionedText, b: PositionedText): boolean {
  const [big, small] = b.size > a.size ? [b, a] : [a, b];
  const rise = small.y - big.y;
  return rise <= SUPERSCRIPT_RISE * big.size && rise >= -SUBSCRIPT_DROP * big.size;
}

function joinLine(runs: readonly PositionedText[]): string {
  let out = '';
  let prev: PositionedText | undefined;
  for (const run of runs) {
    if (prev) {
      // "Bold" drawn as the same text twice, a hair apart.
      if (run.text === prev.text && Math.abs(run.x - prev.x) < 0.2 * run.size) continue;
      const gap = run.x - (prev.x + prev.width);
      const separate = gap > WORD_GAP * Math.min(prev.size, run.size) || prev.hasEOL;
      if (separate && !/\s$/u.test(out) && !/^\s/u.test(run.text)) out += ' ';
    }
    out += run.text;
    prev = run;
  }
  return out.replace(/\s+/gu, ' ').trim();
}

const LIGATURES: Record<string, string> = {
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
};

export const replaceLigatures = (text: string): string =>
  text.replace(/[\ufb00-\ufb06]/gu, (ligature) => LIGATURES[ligature] ?? ligature);

/**
 * Soft hyphens in a PDF were drawn, so they are hyphens. Between lowercase letters at a line end the hyphen is
 * the layout breaking a word ("Con-" / "sul"), and the word is joined; anywhere else it stays, as "-".
 */
export function cleanPdfText(text: string): string {
  return (
    replaceLigatures(text)
      .replace(/(\p{Ll})(?:-|\u2010|[-\u2010]?\u00ad[-\u2010\u00ad]*)\n(?=\p{Ll})/gu, '$1')
      // A hyphen with a space before it is a dash between words ("2023 - 2024"): pdf.js kept one space of the two.
      .replace(/ [-\u2010]?\u00ad[-\u2010\u00ad]*(?=\S)/gu, ' - ')
      // One glyph mapped to several hyphens ("-\u00ad\u2010", Quartz on macOS) or a lone soft hyphen: one "-".
      .replace(/[-\u2010]?\u00ad[-\u2010\u00ad]*/gu, '-')
      .replace(/\n{3,}/g, '\n\n')
      .normalize('NFC')
      .trim()
  );
}

export const countNonWhitespace = (text: string): number => text.replace(/\s+/gu, '').length;

function classifyPdfError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') {
    return new AppError(
      'unprocessable',
      'encrypted_pdf',
      'The PDF is password-protected. Upload a copy without a password.',
      { cause: error },
    );
  }
  return new AppError('unprocessable', 'corrupt_file', 'The PDF file is damaged and cannot be read.', {
    cause: error,
  });
}

function timeoutError(timeoutMs: number): AppError {
  return new AppError(
    'unprocessable',
    'extraction_timeout',
    `Reading the PDF took longer than ${timeoutMs} ms.`,
    {
      details: { timeoutMs },
    },
  );
}
