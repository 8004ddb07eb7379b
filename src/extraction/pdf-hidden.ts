import type { HiddenReason, HiddenSpan } from './hidden-span';
import { type Box, covers, isFaint, isSpace, type Rgb } from './pdf-geometry';
import { layOutRuns, type PositionedText } from './pdf-layout';
import type { GlyphPaint, PagePaint, PaintedArea } from './pdf-paint';

/**
 * Separates the text a reader sees from the text they do not: white (or page-coloured) on its background, smaller
 * than about 4 pt, drawn in an invisible render mode, placed outside the page, or painted over by an image or an
 * opaque box. Each character of each run is matched to the glyph that drew it (`PagePaint`), so a hidden phrase in
 * the middle of a visible line is cut out and the rest of the line is kept.
 *
 * Invisible text on top of an image is the text layer of an OCR'd scan (what a reader sees is the image), so it is
 * kept as text, and a warning says so.
 */

/** Below this size (points) text is unreadable on paper. */
export const TINY_TEXT_PT = 4;
/** WCAG contrast ratio under which text does not stand out from its background (white on white is 1). */
export const MIN_CONTRAST = 1.25;
/** How far (glyph characters) the matcher looks ahead for a run's next character. */
const ALIGN_WINDOW = 512;
/** Share of a character's box an area must cover to hide it. */
const COVERED_SHARE = 0.9;

const WHITE: Rgb = [255, 255, 255];

export interface PageHidden {
  visible: PositionedText[];
  hidden: HiddenSpan[];
  /** Invisible text was kept because it lies over an image (an OCR text layer). */
  ocrLayer: boolean;
}

export interface RunGeometry {
  /** The run's text matrix, as pdf.js gives it (`transform`). */
  transform: readonly number[];
}

export function separateHidden(
  runs: ReadonlyArray<PositionedText & RunGeometry>,
  paint: PagePaint,
  pageNumber: number,
  pageBox: Box,
): PageHidden {
  const glyphIndex = alignRuns(
    runs.map((r) => r.text),
    paint.glyphs,
  );
  const visible: PositionedText[] = [];
  const hiddenRuns: Array<{ reason: HiddenReason; run: PositionedText }> = [];
  let ocrLayer = false;
  const verdicts = new Map<number, HiddenReason | 'ocr' | null>();

  runs.forEach((run, r) => {
    const chars = [...run.text];
    const units = glyphIndex[r] ?? [];
    const whole = runReason(run, pageBox);
    const reasons: Array<HiddenReason | null> = [];
    let unit = 0;
    for (const [k, char] of chars.entries()) {
      const g = units[unit] ?? -1;
      unit += char.length;
      if (whole) {
        reasons.push(whole);
        continue;
      }
      const owner = g >= 0 ? paint.owners[g] : undefined;
      const glyph = owner === undefined ? undefined : paint.paints[owner];
      if (!glyph || isSpace(char)) {
        reasons.push(null);
        continue;
      }
      // A glyph's verdict depends on the glyph alone (its box, paint and surroundings): worked out once.
      let verdict = owner === undefined ? undefined : verdicts.get(owner);
      if (verdict === undefined) {
        verdict = glyphReason(glyph, glyphBox(glyph, run, k, chars.length), paint.areas);
        if (owner !== undefined) verdicts.set(owner, verdict);
      }
      if (verdict === 'ocr') {
        ocrLayer = true;
        reasons.push(null);
      } else reasons.push(verdict);
    }
    inheritForWhitespace(chars, reasons);
    for (const segment of segments(chars, reasons)) {
      const part = slice(run, segment.from, segment.to, chars.length, segment.text);
      if (segment.reason) hiddenRuns.push({ reason: segment.reason, run: part });
      else visible.push(part);
    }
    // The line break pdf.js saw after the run belongs to what is left of it.
    const last = visible.at(-1);
    if (run.hasEOL && last && !last.hasEOL && segmentsEndVisible(reasons)) last.hasEOL = true;
  });

  const hidden = [
    ...spansOf(hiddenRuns, pageNumber),
    ...droppedOffPage(paint, glyphIndex, pageBox, pageNumber),
  ];
  return { visible, hidden, ocrLayer };
}

/**
 * pdf.js leaves glyphs drawn outside the page out of its text content altogether, so they are found here instead:
 * glyphs that no run accounts for, placed outside the page box.
 */
function droppedOffPage(
  paint: PagePaint,
  glyphIndex: readonly number[][],
  pageBox: Box,
  page: number,
): HiddenSpan[] {
  const matched = new Set<number>();
  for (const run of glyphIndex) for (const g of run) if (g >= 0) matched.add(paint.owners[g] ?? -1);
  const spans: HiddenSpan[] = [];
  let current = '';
  const flush = () => {
    const text = current.replace(/\s+/gu, ' ').trim();
    if (text !== '') spans.push({ text, page, reason: 'off_page' });
    current = '';
  };
  for (let g = 0; g < paint.glyphs.length; g++) {
    const owner = paint.owners[g] ?? -1;
    const glyph = paint.paints[owner];
    const char = paint.glyphs[g] ?? '';
    if (glyph && !matched.has(owner) && (outside(glyph.box, pageBox) || (current !== '' && isSpace(char)))) {
      current += char;
    } else flush();
  }
  flush();
  return spans;
}

const outside = (box: Box, page: Box): boolean =>
  box[2] < page[0] - 1 || box[0] > page[2] + 1 || box[3] < page[1] - 1 || box[1] > page[3] + 1;

/** Reasons that hold for a whole run: where it is and how big it is. */
function runReason(run: PositionedText & RunGeometry, pageBox: Box): HiddenReason | null {
  if (run.text.trim() === '') return null;
  if (outside(runBox(run), pageBox)) return 'off_page';
  if (run.size > 0 && run.size < TINY_TEXT_PT) return 'tiny_text';
  return null;
}

function glyphReason(
  glyph: GlyphPaint,
  box: Box,
  areas: readonly PaintedArea[],
): HiddenReason | 'ocr' | null {
  // Areas are in painting order: those before the glyph lie under it, those after on top of it.
  let topmost: PaintedArea | undefined;
  let overImage = false;
  let covered = false;
  for (const a of areas) {
    if (a.op < glyph.op) {
      if (!covers(a.box, box, 0.5)) continue;
      topmost = a;
      overImage ||= a.kind === 'image';
    } else if ((a.opaqueRect || a.kind === 'image') && covers(a.box, box, COVERED_SHARE)) {
      covered = true;
      break;
    }
  }
  if (glyph.renderMode === 3 || glyph.renderMode === 7) return overImage ? 'ocr' : 'invisible_render_mode';
  if (covered) return 'under_image';
  // Over an image, a shading or a pattern the background colour is unknown: give the text the benefit of the doubt.
  const background = topmost ? (topmost.kind === 'shape' ? topmost.fill : null) : WHITE;
  if (!background) return null;
  const mode = glyph.renderMode % 4;
  const shown: Array<[Rgb | null, number]> = [];
  if (mode === 0 || mode === 2) shown.push([glyph.fill, glyph.fillAlpha]);
  if (mode === 1 || mode === 2) shown.push([glyph.stroke, glyph.strokeAlpha]);
  const faint = shown.every(
    ([colour, alpha]) => colour !== null && isFaint(colour, alpha, background, MIN_CONTRAST),
  );
  return faint ? 'white_text' : null;
}

/**
 * Matches each non-space character of each run to its position in the page's glyph string. pdf.js drops some glyphs
 * from text content (a duplicate drawn for fake bold, format characters) and adds spaces, so the matcher skips
 * glyphs freely but never goes back; a character it cannot find within the window is left unmatched (-1).
 */
export function alignRuns(runs: readonly string[], glyphs: string): number[][] {
  let g = 0;
  return runs.map((text) => {
    const out: number[] = [];
    for (let k = 0; k < text.length; k++) {
      const unit = text[k] ?? '';
      if (isSpace(unit)) {
        out.push(-1);
        continue;
      }
      const end = Math.min(glyphs.length, g + ALIGN_WINDOW);
      let j = g;
      while (j < end && glyphs[j] !== unit) j++;
      if (j < end) {
        out.push(j);
        g = j + 1;
      } else out.push(-1);
    }
    return out;
  });
}

/** Spaces take the verdict of the character before them (or after, at the start): they never split a segment. */
function inheritForWhitespace(chars: readonly string[], reasons: Array<HiddenReason | null>): void {
  let last: HiddenReason | null | undefined;
  const pending: number[] = [];
  chars.forEach((char, k) => {
    if (isSpace(char)) {
      if (last === undefined) pending.push(k);
      else reasons[k] = last;
      return;
    }
    last = reasons[k] ?? null;
    for (const p of pending.splice(0)) reasons[p] = last;
  });
}

function* segments(chars: readonly string[], reasons: ReadonlyArray<HiddenReason | null>) {
  let from = 0;
  for (let k = 1; k <= chars.length; k++) {
    if (k === chars.length || reasons[k] !== reasons[from]) {
      yield { from, to: k, reason: reasons[from] ?? null, text: chars.slice(from, k).join('') };
      from = k;
    }
  }
}

const segmentsEndVisible = (reasons: ReadonlyArray<HiddenReason | null>): boolean =>
  reasons.length === 0 || reasons.at(-1) === null;

/** Part of a run, placed in proportion to its characters (glyph widths are not known here; close enough to lay out). */
function slice(run: PositionedText, from: number, to: number, count: number, text: string): PositionedText {
  if (from === 0 && to === count) return { ...run, hasEOL: false };
  const share = count === 0 ? 0 : run.width / count;
  const dx = run.horizontal ? share * from : 0;
  return { ...run, text, x: run.x + dx, width: share * (to - from), hasEOL: false };
}

function runBox(run: PositionedText & RunGeometry): Box {
  const [a = 1, b = 0, c = 0, d = 1, e = run.x, f = run.y] = run.transform;
  const along = Math.hypot(a, b) || 1;
  const up = Math.hypot(c, d) || 1;
  // The baseline runs along (a, b) for `width`; the glyphs rise along (c, d) for about the font size.
  const ux = (a / along) * run.width;
  const uy = (b / along) * run.width;
  const vx = (c / up) * run.size;
  const vy = (d / up) * run.size;
  const xs = [e, e + ux, e + vx, e + ux + vx];
  const ys = [f, f + uy, f + vy, f + uy + vy];
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Where the glyph was drawn, or (for a glyph without a usable width) its share of the run. */
function glyphBox(glyph: GlyphPaint, run: PositionedText & RunGeometry, k: number, count: number): Box {
  const [x0, y0, x1, y1] = glyph.box;
  const sane = x1 > x0 && y1 > y0 && Number.isFinite(x0) && Number.isFinite(y1);
  return sane ? glyph.box : charBox(run, k, count);
}

/** The box of character `k` of `count`, for upright runs; the whole run's box otherwise. */
function charBox(run: PositionedText & RunGeometry, k: number, count: number): Box {
  const box = runBox(run);
  if (!run.horizontal || count === 0) return box;
  const step = run.width / count;
  const x0 = run.x + step * k;
  // A little below the baseline for descenders, most of the size above it.
  return [x0, run.y - 0.2 * run.size, x0 + Math.max(step, 0.01), run.y + 0.75 * run.size];
}

/** Consecutive hidden runs with the same reason become one span, laid out like visible text. */
function spansOf(
  runs: ReadonlyArray<{ reason: HiddenReason; run: PositionedText }>,
  page: number,
): HiddenSpan[] {
  const spans: HiddenSpan[] = [];
  let group: PositionedText[] = [];
  let reason: HiddenReason | null = null;
  const flush = () => {
    const text = layOutRuns(group).replace(/\s+/gu, ' ').trim();
    if (reason && text !== '') spans.push({ text, page, reason });
    group = [];
  };
  for (const entry of runs) {
    if (entry.reason !== reason) {
      flush();
      reason = entry.reason;
    }
    group.push(entry.run);
  }
  flush();
  return spans;
}
