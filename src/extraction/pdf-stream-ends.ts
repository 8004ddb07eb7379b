import type { PdfValue } from './pdf-lexer';

/**
 * Where each stream's data ends, found from one pass over the file (every end keyword's position, then a binary
 * search per stream), never less than pdf.js reads. pdf.js takes the declared /Length when an `endstream` follows
 * it; otherwise it reads from the start to the first `endstream` (or the misspelt `endsteam `, `endstrea `), and with
 * none it refuses the stream ("Missing endstream command"). So: the first end keyword at or after the declared end,
 * else the first after the start; a stream with neither, which pdf.js never decodes, runs to the next object header
 * (each byte then belongs to one stream, where running to the end of the file would read it once per stream).
 */
const END_KEYWORD = /end(?:stream|steam[\t\n\r ]|strea[\t\n\r ])/g;

export class StreamEnds {
  private readonly keywords: number[];
  private readonly headers: number[];

  constructor(
    private readonly text: string,
    headers: ReadonlyArray<{ at: number }>,
  ) {
    this.keywords = Array.from(text.matchAll(END_KEYWORD), (match) => match.index);
    this.headers = headers.map((header) => header.at).sort((a, b) => a - b);
  }

  end(start: number, length: PdfValue | undefined): number {
    const declared =
      typeof length === 'number' && length >= 0 && start + length <= this.text.length
        ? start + length
        : start;
    return (
      firstAtOrAfter(this.keywords, declared) ??
      firstAtOrAfter(this.keywords, start) ??
      firstAtOrAfter(this.headers, start + 1) ??
      this.text.length
    );
  }
}

/** The first of the sorted `positions` at or after `from`. */
function firstAtOrAfter(positions: readonly number[], from: number): number | undefined {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((positions[mid] ?? 0) < from) low = mid + 1;
    else high = mid;
  }
  return positions[low];
}
