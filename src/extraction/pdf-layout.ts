/**
 * From positioned runs of text to reading order: lines top to bottom, each left to right, and two-column regions
 * read one column after the other. The runs come from pdf.js (`getTextContent`), already stripped of hidden text.
 */

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
  /** Visible runs, in content-stream order. */
  items: PositionedText[];
}

/** How far, as a share of the font size, a baseline may rise or drop and still belong to the line. */
const SUPERSCRIPT_RISE = 0.5;
const SUBSCRIPT_DROP = 0.3;
/** A horizontal gap wider than this share of the font size separates words (a space is about 0.25 em). */
const WORD_GAP = 0.15;
/** A gap wider than this (in em, and in points) may be a gutter between columns, or a tab stop. */
const FRAGMENT_GAP_EM = 1.5;
const FRAGMENT_GAP_PT = 9;
/** Left edges within this distance (points) line up. */
const ALIGN_TOLERANCE = 2;
/** Baselines closer than this (points) are the same baseline. */
const BASELINE_TOLERANCE = 0.5;
/** A column needs this many lines on each side of the gutter. */
const MIN_COLUMN_LINES = 3;

interface Line {
  runs: PositionedText[];
  fragments: Fragment[];
}

interface Fragment {
  runs: PositionedText[];
  x0: number;
  x1: number;
}

/** Top-to-bottom lines, each left-to-right, two-column regions column by column; rotated runs follow, one a line. */
export function layOutPage(page: PdfPage): string {
  const upright = page.items.filter((item) => item.horizontal && item.text !== '');
  const rotated = page.items.filter((item) => !item.horizontal && item.text.trim() !== '');
  return [...readingOrder(groupIntoLines(upright)), ...rotated.map((item) => item.text.trim())]
    .filter((line) => line !== '')
    .join('\n');
}

/** Lays out runs that belong together (used for hidden spans too): lines joined by newlines. */
export const layOutRuns = (runs: readonly PositionedText[]): string =>
  groupIntoLines(runs.filter((r) => r.text !== ''))
    .map((line) => joinLine(line.runs))
    .filter((line) => line !== '')
    .join('\n');

export function groupIntoLines(items: readonly PositionedText[]): Line[] {
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
  return lines.map((runs) => {
    runs.sort((p, q) => p.x - q.x);
    return { runs, fragments: fragmentsOf(runs) };
  });
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

/** Pieces of a line separated by wide gaps: columns, or cells set apart with tabs. */
function fragmentsOf(runs: readonly PositionedText[]): Fragment[] {
  const fragments: Fragment[] = [];
  let current: Fragment | undefined;
  for (const run of runs) {
    if (run.text.trim() === '') {
      current?.runs.push(run);
      continue;
    }
    const gap = current ? run.x - current.x1 : Number.POSITIVE_INFINITY;
    if (!current || gap > Math.max(FRAGMENT_GAP_EM * run.size, FRAGMENT_GAP_PT)) {
      current = { runs: [run], x0: run.x, x1: run.x + run.width };
      fragments.push(current);
    } else {
      current.runs.push(run);
      current.x1 = Math.max(current.x1, run.x + run.width);
    }
  }
  return fragments;
}

/**
 * Reading order for a page's lines. A two-column region is a run of consecutive lines that all leave a gutter free at
 * the same x, with at least three lines of text on each side, whose left edges line up on the right of the gutter.
 * Text set in a table (a label, a tab, a value on the same baseline) also leaves a gutter; it is told apart because
 * its rows pair up on the same baselines, while two columns have lines of their own, or paragraphs that wrap.
 */
export function readingOrder(lines: readonly Line[]): string[] {
  const best = bestGutter(lines);
  if (!best) return lines.map((line) => joinLine(line.runs));
  const out: string[] = [];
  let i = 0;
  for (const region of best.regions) {
    for (; i < region.start; i++) out.push(joinLine(lines[i]?.runs ?? []));
    const left: string[] = [];
    const right: string[] = [];
    for (; i < region.end; i++) {
      const line = lines[i];
      if (!line) continue;
      const [l, r] = splitAt(line, best.x);
      if (l.length > 0) left.push(joinLine(l));
      if (r.length > 0) right.push(joinLine(r));
    }
    out.push(...left, ...right);
  }
  for (; i < lines.length; i++) out.push(joinLine(lines[i]?.runs ?? []));
  return out;
}

interface Region {
  start: number;
  end: number;
}

function bestGutter(lines: readonly Line[]): { x: number; regions: Region[] } | null {
  let best: { x: number; regions: Region[]; covered: number } | null = null;
  for (const x of candidateGutters(lines)) {
    const regions = columnRegions(lines, x);
    const covered = regions.reduce((sum, r) => sum + r.end - r.start, 0);
    if (covered > 0 && (!best || covered > best.covered)) best = { x, regions, covered };
  }
  return best;
}

/** Left edges shared by several fragments, other than the leftmost margin: where a right-hand column may start. */
function candidateGutters(lines: readonly Line[]): number[] {
  const starts = lines.flatMap((line) => line.fragments.map((f) => f.x0)).sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const x of starts) {
    const last = clusters.at(-1);
    if (last && x - (last[0] ?? x) <= ALIGN_TOLERANCE) last.push(x);
    else clusters.push([x]);
  }
  return clusters
    .slice(1)
    .filter((c) => c.length >= MIN_COLUMN_LINES)
    .map((c) => c[0] ?? 0);
}

function columnRegions(lines: readonly Line[], x: number): Region[] {
  const regions: Region[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0 && qualifies(lines.slice(start, end), x)) regions.push({ start, end });
    start = -1;
  };
  lines.forEach((line, i) => {
    const crosses = line.fragments.some((f) => f.x0 < x - ALIGN_TOLERANCE && f.x1 > x + ALIGN_TOLERANCE);
    if (crosses) close(i);
    else if (start < 0) start = i;
  });
  close(lines.length);
  return regions;
}

function qualifies(lines: readonly Line[], x: number): boolean {
  let leftLines = 0;
  let rightLines = 0;
  let paired = 0;
  let alignedRight = 0;
  const left: string[] = [];
  const right: string[] = [];
  for (const line of lines) {
    const [l, r] = splitAt(line, x);
    if (l.length > 0) {
      leftLines++;
      left.push(joinLine(l));
    }
    if (r.length > 0) {
      rightLines++;
      right.push(joinLine(r));
      const first = line.fragments.find((f) => f.x0 >= x - ALIGN_TOLERANCE);
      if (first && first.x0 - x <= ALIGN_TOLERANCE) alignedRight++;
    }
    // Table cells sit on one baseline; lines of two columns that merely come close are not a row.
    if (l.length > 0 && r.length > 0 && Math.abs((l[0]?.y ?? 0) - (r[0]?.y ?? 0)) < BASELINE_TOLERANCE)
      paired++;
  }
  if (leftLines < MIN_COLUMN_LINES || rightLines < MIN_COLUMN_LINES) return false;
  if (alignedRight < MIN_COLUMN_LINES) return false;
  const pairedShare = paired / Math.min(leftLines, rightLines);
  return pairedShare < 0.5 || wraps(left) || wraps(right);
}

/** Paragraphs that wrap: a line without closing punctuation followed by one that starts in lowercase. */
function wraps(lines: readonly string[]): boolean {
  let count = 0;
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1] ?? '';
    if (/[\p{L},]$/u.test(previous) && /^\p{Ll}/u.test(lines[i] ?? '')) count++;
  }
  return count >= 2;
}

function splitAt(line: Line, x: number): [PositionedText[], PositionedText[]] {
  const left: PositionedText[] = [];
  const right: PositionedText[] = [];
  for (const fragment of line.fragments)
    (fragment.x0 >= x - ALIGN_TOLERANCE ? right : left).push(...fragment.runs);
  return [left, right];
}

export function joinLine(runs: readonly PositionedText[]): string {
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
