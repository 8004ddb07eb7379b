/**
 * What the page's content stream paints, read from pdf.js's operator list: for every glyph, the colours, opacity and
 * text render mode it was drawn with; for every image and filled shape, where it lies and in which order it was
 * painted. `getTextContent` knows where text is but not how it looks; this is the other half that hidden-text
 * detection needs. Coordinates are PDF user space (the same space `getTextContent` reports positions in).
 *
 * Only the state that decides visibility is tracked (CTM, fill and stroke colour, alpha, render mode, and the text
 * state that places glyphs), with `q`/`Q` and form XObjects nesting it. Glyphs are placed the way pdf.js's canvas
 * renderer places them. Colours arrive as `#rrggbb`: pdf.js converts gray, CMYK and other colour spaces to RGB when
 * it builds the list. Pattern and shading colours are unknown (`null`).
 */

import {
  asMatrix,
  type Box,
  IDENTITY,
  isAxisAligned,
  isNumberList,
  isRectanglePath,
  type Matrix,
  multiply,
  pairs,
  parseHex,
  type Rgb,
  transformBox,
} from './pdf-geometry';
import { applyGState, type State, showText, type TextPosition } from './pdf-text-state';

export type { Box, Rgb } from './pdf-geometry';

export interface GlyphPaint {
  /** Position in the operator list: later ops paint on top. */
  op: number;
  fill: Rgb | null;
  stroke: Rgb | null;
  fillAlpha: number;
  strokeAlpha: number;
  /** 0 fill, 1 stroke, 2 fill and stroke, 3 invisible, 4-6 the same plus clip, 7 clip only. */
  renderMode: number;
  /** The glyph's box on the page (user space), from its origin and advance and the font size. */
  box: Box;
}

export interface PaintedArea {
  op: number;
  box: Box;
  kind: 'image' | 'shape' | 'shading';
  /** A shape's fill colour; `null` for images, shadings and pattern fills. */
  fill: Rgb | null;
  /** Paints every pixel of `box` without transparency: an axis-aligned rectangle filled at full opacity. */
  opaqueRect: boolean;
}

export interface PagePaint {
  /** Every glyph's Unicode text in drawing order, concatenated. */
  glyphs: string;
  /** For each UTF-16 unit of `glyphs`, the index in `paints` of the glyph it belongs to. */
  owners: number[];
  paints: GlyphPaint[];
  areas: PaintedArea[];
}

/** The numeric ids pdf.js gives the operators used here (`OPS` from pdfjs-dist). */
export type OpsTable = Readonly<Record<string, number>>;

const BLACK: Rgb = [0, 0, 0];

/** The `fontMatrix[0]` of a loaded font (pdf.js's `commonObjs`), or null when unknown. */
export type FontScaleOf = (loadedName: string) => number | null;

export function readPaint(
  fnArray: ArrayLike<number>,
  argsArray: ArrayLike<unknown>,
  OPS: OpsTable,
  fontScaleOf: FontScaleOf = () => null,
): PagePaint {
  const op = (name: string) => OPS[name] ?? -1;
  const ids = {
    save: op('save'),
    restore: op('restore'),
    transform: op('transform'),
    formBegin: op('paintFormXObjectBegin'),
    formEnd: op('paintFormXObjectEnd'),
    fillRgb: op('setFillRGBColor'),
    strokeRgb: op('setStrokeRGBColor'),
    fillN: op('setFillColorN'),
    strokeN: op('setStrokeColorN'),
    fillTransparent: op('setFillTransparent'),
    strokeTransparent: op('setStrokeTransparent'),
    renderMode: op('setTextRenderingMode'),
    gState: op('setGState'),
    showText: op('showText'),
    showSpacedText: op('showSpacedText'),
    constructPath: op('constructPath'),
    shadingFill: op('shadingFill'),
    beginText: op('beginText'),
    textMatrix: op('setTextMatrix'),
    moveText: op('moveText'),
    leadingMoveText: op('setLeadingMoveText'),
    nextLine: op('nextLine'),
    leading: op('setLeading'),
    font: op('setFont'),
    charSpacing: op('setCharSpacing'),
    wordSpacing: op('setWordSpacing'),
    hScale: op('setHScale'),
    rise: op('setTextRise'),
  };
  const singleImages = new Set(
    ['paintImageXObject', 'paintInlineImageXObject', 'paintImageMaskXObject', 'paintSolidColorImageMask'].map(
      op,
    ),
  );
  const fillOps = new Set(
    ['fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke'].map(op),
  );

  let state: State = {
    ctm: IDENTITY,
    fill: BLACK,
    stroke: BLACK,
    fillAlpha: 1,
    strokeAlpha: 1,
    renderMode: 0,
    fontSize: 0,
    fontScale: 0.001,
    charSpacing: 0,
    wordSpacing: 0,
    hScale: 1,
    leading: 0,
    rise: 0,
  };
  let text: TextPosition = { matrix: IDENTITY, lineX: 0, lineY: 0, x: 0, y: 0 };
  const moveText = (tx: number, ty: number) => {
    const lineX = text.lineX + tx;
    const lineY = text.lineY + ty;
    text = { ...text, lineX, lineY, x: lineX, y: lineY };
  };
  const num = (value: unknown, fallback = 0) =>
    typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  const stack: State[] = [];
  const paints: GlyphPaint[] = [];
  const owners: number[] = [];
  const areas: PaintedArea[] = [];
  let glyphs = '';

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i];
    const arg = (k: number): unknown => (Array.isArray(args) ? args[k] : undefined);
    if (fn === ids.save) stack.push(state);
    else if (fn === ids.restore) state = stack.pop() ?? state;
    else if (fn === ids.transform) state = { ...state, ctm: multiply(asMatrix(args) ?? IDENTITY, state.ctm) };
    else if (fn === ids.formBegin) {
      stack.push(state);
      const matrix = asMatrix(arg(0));
      if (matrix) state = { ...state, ctm: multiply(matrix, state.ctm) };
    } else if (fn === ids.formEnd) state = stack.pop() ?? state;
    else if (fn === ids.fillRgb) state = { ...state, fill: parseHex(arg(0)) };
    else if (fn === ids.strokeRgb) state = { ...state, stroke: parseHex(arg(0)) };
    else if (fn === ids.fillN || fn === ids.fillTransparent) state = { ...state, fill: null };
    else if (fn === ids.strokeN || fn === ids.strokeTransparent) state = { ...state, stroke: null };
    else if (fn === ids.renderMode) {
      const mode = arg(0);
      if (typeof mode === 'number') state = { ...state, renderMode: mode };
    } else if (fn === ids.gState) state = applyGState(state, arg(0));
    else if (fn === ids.beginText) text = { matrix: IDENTITY, lineX: 0, lineY: 0, x: 0, y: 0 };
    else if (fn === ids.textMatrix) {
      text = { matrix: asMatrix(arg(0)) ?? IDENTITY, lineX: 0, lineY: 0, x: 0, y: 0 };
    } else if (fn === ids.moveText) moveText(num(arg(0)), num(arg(1)));
    else if (fn === ids.leadingMoveText) {
      state = { ...state, leading: -num(arg(1)) };
      moveText(num(arg(0)), num(arg(1)));
    } else if (fn === ids.nextLine) moveText(0, -state.leading);
    else if (fn === ids.leading) state = { ...state, leading: num(arg(0)) };
    else if (fn === ids.font) {
      const name = arg(0);
      const scale = typeof name === 'string' ? fontScaleOf(name) : null;
      state = { ...state, fontSize: num(arg(1)), fontScale: scale ?? 0.001 };
    } else if (fn === ids.charSpacing) state = { ...state, charSpacing: num(arg(0)) };
    else if (fn === ids.wordSpacing) state = { ...state, wordSpacing: num(arg(0)) };
    else if (fn === ids.hScale) state = { ...state, hScale: num(arg(0), 100) / 100 };
    else if (fn === ids.rise) state = { ...state, rise: num(arg(0)) };
    else if (fn === ids.showText || fn === ids.showSpacedText) {
      const list = arg(0);
      if (!Array.isArray(list)) continue;
      const placed = showText(list, state, text);
      for (const { unicode, box } of placed.glyphs) {
        paints.push({
          op: i,
          fill: state.fill,
          stroke: state.stroke,
          fillAlpha: state.fillAlpha,
          strokeAlpha: state.strokeAlpha,
          renderMode: state.renderMode,
          box,
        });
        glyphs += unicode;
        for (let k = 0; k < unicode.length; k++) owners.push(paints.length - 1);
      }
      text = { ...text, x: text.x + placed.advance * state.hScale };
    } else if (fn === ids.constructPath) {
      if (!fillOps.has(Number(arg(0)))) continue;
      const minMax = arg(2);
      if (!isNumberList(minMax, 4)) continue;
      const [x0, y0, x1, y1] = minMax as ArrayLike<number> as [number, number, number, number];
      if (!Number.isFinite(x0) || !Number.isFinite(x1)) continue;
      const data = Array.isArray(arg(1)) ? (arg(1) as unknown[])[0] : undefined;
      const rect = isRectanglePath(data) && isAxisAligned(state.ctm);
      areas.push({
        op: i,
        box: transformBox([x0, y0, x1, y1], state.ctm),
        kind: 'shape',
        fill: state.fill,
        opaqueRect: rect && state.fill !== null && state.fillAlpha >= 0.999,
      });
    } else if (fn === ids.shadingFill) {
      // Fills the current clip, which is not tracked: assume the whole page.
      areas.push({
        op: i,
        box: [-Infinity, -Infinity, Infinity, Infinity],
        kind: 'shading',
        fill: null,
        opaqueRect: false,
      });
    } else if (fn !== undefined && singleImages.has(fn)) {
      areas.push(imageArea(i, state.ctm));
    } else if (fn === op('paintImageXObjectRepeat')) {
      // [objId, scaleX, scaleY, positions]
      const [sx, sy] = [Number(arg(1)), Number(arg(2))];
      for (const [x, y] of pairs(arg(3))) areas.push(imageArea(i, multiply([sx, 0, 0, sy, x, y], state.ctm)));
    } else if (fn === op('paintImageMaskXObjectRepeat')) {
      // [image, scaleX, skewX, skewY, scaleY, positions]
      const [a, b, c, d] = [1, 2, 3, 4].map((k) => Number(arg(k))) as [number, number, number, number];
      for (const [x, y] of pairs(arg(5))) areas.push(imageArea(i, multiply([a, b, c, d, x, y], state.ctm)));
    } else if (fn === op('paintImageMaskXObjectGroup')) {
      const images = arg(0);
      if (!Array.isArray(images)) continue;
      for (const image of images) {
        const matrix = asMatrix((image as { transform?: unknown })?.transform);
        if (matrix) areas.push(imageArea(i, multiply(matrix, state.ctm)));
      }
    } else if (fn === op('paintInlineImageXObjectGroup')) {
      const map = arg(1);
      if (!Array.isArray(map)) continue;
      for (const entry of map) {
        const matrix = asMatrix((entry as { transform?: unknown })?.transform);
        if (matrix) areas.push(imageArea(i, multiply(matrix, state.ctm)));
      }
    }
  }
  return { glyphs, owners, paints, areas };
}

/** An image fills the unit square of the CTM it is painted with. */
function imageArea(op: number, ctm: Matrix): PaintedArea {
  return {
    op,
    box: transformBox([0, 0, 1, 1], ctm),
    kind: 'image',
    fill: null,
    opaqueRect: isAxisAligned(ctm),
  };
}
