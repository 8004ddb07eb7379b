import type { PDFDocumentLoadingTask, PDFPageProxy } from 'pdfjs-dist';
import { AppError } from '../core/app-error';
import type { HiddenSpan } from './hidden-span';
import { type MemoryGuard, memoryGuard } from './memory-guard';
import { separateHidden } from './pdf-hidden';
import { layOutPage, type PdfPage, type PositionedText } from './pdf-layout';
import { type Box, readPaint } from './pdf-paint';
import { checkPdfStreams } from './pdf-streams';

export type { PdfPage, PositionedText } from './pdf-layout';

/**
 * PDF text with pdf.js (legacy build: it runs on Node 20 without DOMMatrix). In Node pdf.js runs its "worker" in
 * this thread (a fake worker it loads itself), so no worker file needs configuring, but a long parse does block.
 *
 * Per page: `getTextContent` gives the runs of text and where they are; the operator list says how each glyph was
 * painted (`pdf-paint.ts`); hidden text is cut out of the runs (`pdf-hidden.ts`); what is left is laid out in
 * reading order (`pdf-layout.ts`) and cleaned up (`cleanPdfText`).
 */

export interface PdfExtractOptions {
  maxPages: number;
  timeoutMs: number;
  /** Growth of the process's memory allowed while reading one PDF; checked between pages. */
  maxMemoryBytes: number;
}

export interface PdfTextResult {
  text: string;
  pageCount: number;
  pages: PdfPage[];
  hidden: HiddenSpan[];
  warnings: string[];
}

/** Below this many non-whitespace characters a PDF has no usable text layer (a scan, or an empty page). */
export const MIN_TEXT_CHARS = 20;
/**
 * Images are decoded only to learn where they are (text under an image is hidden); larger ones are dropped unread,
 * so a decompression bomb in an image costs nothing. A photo on a resume is well under this.
 */
const MAX_IMAGE_PIXELS = 4 * 1024 * 1024;
const SOFT_HYPHEN = '\u00ad';

export async function extractPdf(bytes: Uint8Array, options: PdfExtractOptions): Promise<PdfTextResult> {
  const deadline = performance.now() + options.timeoutMs;
  // Every compressed stream is decoded with a byte budget before pdf.js, which has none, inflates it (`pdf-streams.ts`).
  await checkPdfStreams(bytes);
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const memory = memoryGuard(options.maxMemoryBytes);
  const task = getDocument({
    // pdf.js transfers the buffer it is given to its worker, which detaches it: it gets a copy, the caller keeps
    // theirs (intake hashes the upload after extracting it).
    data: bytes.slice(),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    maxImageSize: MAX_IMAGE_PIXELS,
    verbosity: VerbosityLevel.ERRORS,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(options.timeoutMs)), options.timeoutMs);
  });
  try {
    const read = await Promise.race([readPages(task, options, deadline, memory), timeout]);
    const text = cleanPdfText(
      read.pages
        .map(layOutPage)
        .filter((page) => page !== '')
        .join('\n\n'),
    );
    if (countNonWhitespace(text) < MIN_TEXT_CHARS) {
      throw new AppError(
        'unprocessable',
        'no_extractable_text',
        read.hidden.length > 0
          ? 'The PDF has no visible text: all of its text is hidden from a reader. Upload a readable copy.'
          : 'The PDF has no text layer (is it a scan?). Upload a PDF with selectable text, a DOCX or a text file.',
        { details: { hiddenSpans: read.hidden.length } },
      );
    }
    const warnings = read.ocrLayer
      ? [
          'Part of the text is an invisible OCR layer over a scanned image; it was read as the text of the page.',
        ]
      : [];
    return { text, pageCount: read.pages.length, pages: read.pages, hidden: read.hidden, warnings };
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
  memory: MemoryGuard,
): Promise<{ pages: PdfPage[]; hidden: HiddenSpan[]; ocrLayer: boolean }> {
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
  const hidden: HiddenSpan[] = [];
  let ocrLayer = false;
  for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) {
    // The timer cannot fire while pdf.js works synchronously; checking between pages bounds the overrun.
    if (performance.now() > deadline) throw timeoutError(options.timeoutMs);
    memory.check();
    try {
      const page = await doc.getPage(pageNumber);
      const read = await readPage(page);
      pages.push(read.page);
      hidden.push(...read.hidden);
      ocrLayer ||= read.ocrLayer;
      // Drops the page's decoded fonts and images before the next one.
      page.cleanup();
    } catch (error) {
      throw classifyPdfError(error);
    }
  }
  memory.check();
  return { pages, hidden, ocrLayer };
}

async function readPage(
  page: PDFPageProxy,
): Promise<{ page: PdfPage; hidden: HiddenSpan[]; ocrLayer: boolean }> {
  const { OPS, AnnotationMode } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const content = await page.getTextContent({ disableNormalization: true });
  const runs = content.items.filter((item) => 'str' in item);
  const { fnArray, argsArray } = await page.getOperatorList({ annotationMode: AnnotationMode.DISABLE });
  const paint = readPaint(fnArray, argsArray, OPS, (name) => {
    // Fonts are loaded into `commonObjs` by the time the operator list is complete.
    const font: unknown = page.commonObjs.has(name) ? page.commonObjs.get(name) : null;
    const matrix = typeof font === 'object' && font !== null && 'fontMatrix' in font ? font.fontMatrix : null;
    return Array.isArray(matrix) && typeof matrix[0] === 'number' ? matrix[0] : null;
  });
  let texts = runs.map((run) => run.str);
  if (texts.some((text) => text.trim() !== '')) {
    texts = restoreSoftHyphens(texts, paint.glyphs) ?? texts;
  }
  const positioned = runs.map((run, i): PositionedText & { transform: number[] } => {
    const transform = run.transform as number[];
    const [a = 1, b = 0, c = 0, d = 1, x = 0, y = 0] = transform;
    return {
      text: texts[i] ?? run.str,
      x,
      y,
      width: run.width,
      size: Math.hypot(c, d),
      hasEOL: run.hasEOL,
      horizontal: a > 0 && Math.abs(b) < 1e-3 * a,
      fontName: run.fontName,
      transform,
    };
  });
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  const pageBox: Box = [x0, y0, x1, y1];
  const separated = separateHidden(positioned, paint, page.pageNumber, pageBox);
  return {
    page: { pageNumber: page.pageNumber, width: x1 - x0, height: y1 - y0, items: separated.visible },
    hidden: separated.hidden,
    ocrLayer: separated.ocrLayer,
  };
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
    normaliseBullets(replaceLigatures(text))
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

/**
 * Symbol and Wingdings bullets come out of pdf.js as private-use characters (U+F0B7 and friends): they become "•".
 * A bullet glued to its first word gets a space. Other private-use characters standing alone are icon glyphs
 * (phone, envelope) with no text value: they are dropped.
 */
const PUA_BULLETS = /[\uf0a7\uf0a8\uf0b7\uf076\uf0d8\uf0e8\uf0fc\uf06e\uf0a1\uf09f]/gu;

export function normaliseBullets(text: string): string {
  return text
    .replace(PUA_BULLETS, '\u2022')
    .replace(/(^|\s)[\ue000-\uf8ff]+(?=\s|$)/gmu, '$1')
    .replace(
      /^([ \t]*[\u2022\u25cf\u25aa\u25e6\u25a0\u2023\u2219\u27a2\u25ba\u25b8\u2713\u2714])(?=[\p{L}\p{N}])/gmu,
      '$1 ',
    )
    .replace(/[ \t]{2,}/g, ' ');
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
