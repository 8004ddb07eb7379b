/**
 * Geometry and colour for reading PDF operator lists: matrices, boxes, contrast, and the shapes of pdf.js's operator
 * arguments.
 */

export type Rgb = readonly [number, number, number];
/** A rectangle in user space: left, bottom, right, top. */
export type Box = readonly [number, number, number, number];
/** [a b c d e f], mapping (x, y) to (a x + c y + e, b x + d y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export function parseHex(value: unknown): Rgb | null {
  if (typeof value !== 'string') return null;
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value);
  if (!match) return null;
  return [
    Number.parseInt(match[1] ?? '0', 16),
    Number.parseInt(match[2] ?? '0', 16),
    Number.parseInt(match[3] ?? '0', 16),
  ];
}

export function asMatrix(value: unknown): Matrix | null {
  if (!isNumberList(value, 6)) return null;
  const m = Array.from(value as ArrayLike<number>).slice(0, 6);
  return m.every(Number.isFinite) ? (m as unknown as Matrix) : null;
}

export function isNumberList(value: unknown, length: number): boolean {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) return false;
  const list = value as ArrayLike<unknown>;
  if (list.length < length) return false;
  for (let k = 0; k < length; k++) if (typeof list[k] !== 'number') return false;
  return true;
}

export function* pairs(value: unknown): Generator<[number, number]> {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) return;
  const list = value as ArrayLike<number>;
  for (let k = 0; k + 1 < list.length; k += 2) yield [Number(list[k]), Number(list[k + 1])];
}

/** `m` applied first, then `n` (PDF's row-vector convention: `cm` pre-multiplies the CTM). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

export function transformBox(box: Box, m: Matrix): Box {
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x = 0, y = 0]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]] as const);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export const isAxisAligned = (m: Matrix): boolean =>
  (Math.abs(m[1]) < 1e-6 && Math.abs(m[2]) < 1e-6) || (Math.abs(m[0]) < 1e-6 && Math.abs(m[3]) < 1e-6);

/** pdf.js path data: moveTo (0) x y, lineTo (1) x y three times, closePath (4); axis-aligned corners. */
export function isRectanglePath(data: unknown): boolean {
  if (!isNumberList(data, 13) || (data as ArrayLike<number>).length !== 13) return false;
  const d = data as ArrayLike<number>;
  if (d[0] !== 0 || d[3] !== 1 || d[6] !== 1 || d[9] !== 1 || d[12] !== 4) return false;
  const xs = new Set([d[1], d[4], d[7], d[10]]);
  const ys = new Set([d[2], d[5], d[8], d[11]]);
  return xs.size === 2 && ys.size === 2;
}

export const blend = (colour: Rgb, background: Rgb, alpha: number): Rgb => {
  const a = Math.min(1, Math.max(0, alpha));
  return [0, 1, 2].map((i) => a * (colour[i] ?? 0) + (1 - a) * (background[i] ?? 0)) as unknown as Rgb;
};

/** WCAG 2 relative luminance and contrast ratio. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Whitespace by code point: called for every character of every page, where a regular expression costs too much. */
export const isSpace = (char: string): boolean => {
  const c = char.charCodeAt(0);
  return (
    c <= 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0x85
  );
};

/** Contrast verdicts by colour, opacity and background: a page uses a handful of colours for thousands of glyphs. */
const faintCache = new Map<string, boolean>();
export function isFaint(colour: Rgb, alpha: number, background: Rgb, minContrast: number): boolean {
  const key = `${colour.join(',')}|${alpha}|${background.join(',')}|${minContrast}`;
  let faint = faintCache.get(key);
  if (faint === undefined) {
    faint = contrast(blend(colour, background, alpha), background) < minContrast;
    if (faintCache.size > 10_000) faintCache.clear();
    faintCache.set(key, faint);
  }
  return faint;
}

/** Whether `area` covers at least `share` of `box`. */
export function covers(area: Box, box: Box, share: number): boolean {
  const w = Math.min(area[2], box[2]) - Math.max(area[0], box[0]);
  const h = Math.min(area[3], box[3]) - Math.max(area[1], box[1]);
  if (w <= 0 || h <= 0) return false;
  const size = Math.max(1e-6, (box[2] - box[0]) * (box[3] - box[1]));
  return (w * h) / size >= share;
}
