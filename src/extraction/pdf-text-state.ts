import { type Box, type Matrix, multiply, type Rgb } from './pdf-geometry';

/**
 * The part of the PDF graphics state that decides where glyphs land and whether they show, and how one text-showing
 * operator places its glyphs. Used by `readPaint` (`pdf-paint.ts`) while it walks the operator list.
 */

export interface State {
  ctm: Matrix;
  fill: Rgb | null;
  stroke: Rgb | null;
  fillAlpha: number;
  strokeAlpha: number;
  renderMode: number;
  // Text state: part of the graphics state, so `q`/`Q` save and restore it.
  fontSize: number;
  /** The font's glyph-space-to-text-space scale (`fontMatrix[0]`); 0.001 for all but Type 3 fonts. */
  fontScale: number;
  charSpacing: number;
  wordSpacing: number;
  hScale: number;
  leading: number;
  rise: number;
}

/** The text object's position: reset by BT and Tm, moved by Td, TD, T* and by showing text. */
export interface TextPosition {
  matrix: Matrix;
  lineX: number;
  lineY: number;
  x: number;
  y: number;
}

/**
 * Places the glyphs of one text-showing operator as pdf.js's canvas renderer does: advance by width times font size
 * times the font matrix, plus character spacing (and word spacing after a space); a number in a TJ array moves back
 * by thousandths of the font size; horizontal scaling stretches all of it; rise lifts the baseline.
 */
export function showText(
  list: readonly unknown[],
  state: State,
  text: TextPosition,
): { glyphs: Array<{ unicode: string; box: Box }>; advance: number } {
  const m = multiply(text.matrix, state.ctm);
  const size = Math.abs(state.fontSize) * Math.hypot(m[2], m[3]);
  const at = (tx: number): [number, number] => {
    const px = text.x + tx * state.hScale;
    const py = text.y + state.rise;
    return [m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]];
  };
  const glyphs: Array<{ unicode: string; box: Box }> = [];
  let advance = 0;
  for (const glyph of list) {
    if (typeof glyph === 'number') {
      advance -= (glyph * state.fontSize) / 1000;
      continue;
    }
    const record = (typeof glyph === 'object' && glyph !== null ? glyph : {}) as {
      width?: unknown;
      isSpace?: unknown;
    };
    const width = (typeof record.width === 'number' ? record.width : 0) * state.fontSize * state.fontScale;
    const spacing = (record.isSpace ? state.wordSpacing : 0) + state.charSpacing;
    const unicode = glyphUnicode(glyph);
    if (unicode !== '') {
      const [x0, y0] = at(advance);
      const [x1, y1] = at(advance + width);
      glyphs.push({
        unicode,
        box: [
          Math.min(x0, x1),
          Math.min(y0, y1) - 0.2 * size,
          Math.max(x0, x1),
          Math.max(y0, y1) + 0.75 * size,
        ],
      });
    }
    advance += width + spacing;
  }
  return { glyphs, advance };
}

export function glyphUnicode(glyph: unknown): string {
  if (typeof glyph !== 'object' || glyph === null || !('unicode' in glyph)) return '';
  return typeof glyph.unicode === 'string' ? glyph.unicode : '';
}

export function applyGState(state: State, entries: unknown): State {
  if (!Array.isArray(entries)) return state;
  let next = state;
  for (const entry of entries) {
    if (!Array.isArray(entry)) continue;
    const [key, value] = entry as [unknown, unknown];
    if (typeof value !== 'number') continue;
    if (key === 'ca') next = { ...next, fillAlpha: value };
    else if (key === 'CA') next = { ...next, strokeAlpha: value };
  }
  return next;
}
