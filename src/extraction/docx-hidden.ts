import type { HiddenReason, HiddenSpan } from './hidden-span';
import type { Rgb } from './pdf-geometry';
import { contrast } from './pdf-geometry';
import { MIN_CONTRAST } from './pdf-hidden';

/**
 * Hidden runs in a DOCX body (`word/document.xml`): hidden text (`w:vanish`), text coloured like its background
 * (white on a white page, or on the shading of its run, paragraph or table cell), and text under 4 pt (`w:sz` is in
 * half-points). A run's properties are resolved the way Word does, from the document defaults through the paragraph
 * style, the character style and the run's own properties (`word/styles.xml`, `basedOn` chains included).
 *
 * The XML is read with a small tag scanner rather than a DOM: only a handful of elements matter, the scanner never
 * builds a tree, and it returns the offsets of the hidden `w:t` contents so they can be cut out of the XML.
 */

export interface DocxHiddenResult {
  hidden: HiddenSpan[];
  /** `[start, end)` offsets in document.xml of the text of each hidden `w:t`, in order. */
  cuts: Array<[number, number]>;
}

interface RunProps {
  vanish?: boolean;
  color?: Rgb | null;
  halfPoints?: number;
  background?: Rgb;
}

interface Style {
  basedOn: string | null;
  props: RunProps;
  /** Paragraph styles: the paragraph's shading. */
  shading?: Rgb;
}

const TINY_HALF_POINTS = 8;
const WHITE: Rgb = [255, 255, 255];
const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!(?:[^>"']|"[^"]*"|'[^']*')*>|<(\/?)([A-Za-z_][\w.-]*(?::[\w.-]+)?)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

interface Tag {
  close: boolean;
  name: string;
  attrs: string;
  selfClosing: boolean;
  start: number;
  end: number;
}

function* tags(xml: string): Generator<Tag> {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    if (m[3] === undefined) continue; // comment, processing instruction, CDATA, doctype
    yield {
      close: m[2] === '/',
      name: m[3],
      attrs: m[4] ?? '',
      selfClosing: m[5] === '/',
      start: m.index,
      end: m.index + m[0].length,
    };
  }
}

const attr = (attrs: string, name: string): string | undefined => {
  const match = new RegExp(`(?:^|\\s)${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attrs);
  return match ? (match[2] ?? match[3]) : undefined;
};

const toggle = (attrs: string): boolean => !/^(?:false|0|off)$/i.test(attr(attrs, 'w:val') ?? 'true');

function hexColour(value: string | undefined): Rgb | null | undefined {
  if (value === undefined) return undefined;
  if (/^auto$/i.test(value)) return null;
  const m = /^([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value);
  return m
    ? [Number.parseInt(m[1] ?? '', 16), Number.parseInt(m[2] ?? '', 16), Number.parseInt(m[3] ?? '', 16)]
    : undefined;
}

const HIGHLIGHTS: Record<string, Rgb> = {
  black: [0, 0, 0],
  blue: [0, 0, 255],
  cyan: [0, 255, 255],
  green: [0, 255, 0],
  magenta: [255, 0, 255],
  red: [255, 0, 0],
  yellow: [255, 255, 0],
  white: [255, 255, 255],
  darkBlue: [0, 0, 128],
  darkCyan: [0, 128, 128],
  darkGreen: [0, 128, 0],
  darkMagenta: [128, 0, 128],
  darkRed: [128, 0, 0],
  darkYellow: [128, 128, 0],
  darkGray: [128, 128, 128],
  lightGray: [192, 192, 192],
};

/** `w:shd`: a solid pattern paints its colour; otherwise the fill shows. */
function shading(attrs: string): Rgb | undefined {
  const solid = attr(attrs, 'w:val') === 'solid' ? hexColour(attr(attrs, 'w:color')) : undefined;
  return solid ?? hexColour(attr(attrs, 'w:fill')) ?? undefined;
}

/** Applies one run-property child element (`w:vanish`, `w:color`, `w:sz`, `w:shd`, `w:highlight`) to `props`. */
function applyRunProperty(props: RunProps, tag: Tag): void {
  switch (tag.name) {
    case 'w:vanish':
    case 'w:specVanish':
      props.vanish = toggle(tag.attrs);
      break;
    case 'w:color': {
      const colour = hexColour(attr(tag.attrs, 'w:val'));
      if (colour !== undefined) props.color = colour;
      break;
    }
    case 'w:sz': {
      const size = Number(attr(tag.attrs, 'w:val'));
      if (Number.isFinite(size)) props.halfPoints = size;
      break;
    }
    case 'w:shd': {
      const fill = shading(tag.attrs);
      if (fill) props.background = fill;
      break;
    }
    case 'w:highlight': {
      const colour = HIGHLIGHTS[attr(tag.attrs, 'w:val') ?? ''];
      if (colour) props.background = colour;
      break;
    }
  }
}

export function parseStyles(xml: string): {
  styles: Map<string, Style>;
  defaults: RunProps;
  defaultParagraph: string | null;
} {
  const styles = new Map<string, Style>();
  const defaults: RunProps = {};
  let defaultParagraph: string | null = null;
  let current: Style | null = null;
  let inDefaults = false;
  let inRunProps = false;
  for (const tag of tags(xml)) {
    if (tag.name === 'w:rPrDefault') inDefaults = !tag.close;
    else if (tag.name === 'w:style') {
      if (tag.close) current = null;
      else {
        const id = attr(tag.attrs, 'w:styleId');
        current = { basedOn: null, props: {} };
        if (id) styles.set(id, current);
        if (
          attr(tag.attrs, 'w:type') === 'paragraph' &&
          /^(?:1|true|on)$/i.test(attr(tag.attrs, 'w:default') ?? '')
        ) {
          defaultParagraph = id ?? null;
        }
      }
    } else if (tag.name === 'w:rPr') inRunProps = !tag.close && !tag.selfClosing;
    else if (tag.name === 'w:basedOn' && current) current.basedOn = attr(tag.attrs, 'w:val') ?? null;
    else if (inRunProps && !tag.close) applyRunProperty(inDefaults ? defaults : (current?.props ?? {}), tag);
    else if (tag.name === 'w:shd' && current && !tag.close) current.shading = shading(tag.attrs);
  }
  return { styles, defaults, defaultParagraph };
}

function resolveStyle(styles: Map<string, Style>, id: string | null): { props: RunProps; shading?: Rgb } {
  const chain: Style[] = [];
  const seen = new Set<string>();
  for (let at = id; at && !seen.has(at); ) {
    seen.add(at);
    const style = styles.get(at);
    if (!style) break;
    chain.unshift(style);
    at = style.basedOn;
  }
  const props: RunProps = {};
  let shadingColour: Rgb | undefined;
  for (const style of chain) {
    Object.assign(props, style.props);
    shadingColour = style.shading ?? shadingColour;
  }
  return shadingColour ? { props, shading: shadingColour } : { props };
}

export function findDocxHidden(documentXml: string, stylesXml: string | null): DocxHiddenResult {
  const { styles, defaults, defaultParagraph } = stylesXml
    ? parseStyles(stylesXml)
    : { styles: new Map<string, Style>(), defaults: {}, defaultParagraph: null };
  const stack: string[] = [];
  const cells: Array<Rgb | undefined> = [];
  // Text boxes put whole paragraphs inside a run, so paragraphs and runs nest.
  const paragraphs: Array<{ style: string | null; shading?: Rgb }> = [];
  const runs: Array<{ direct: RunProps; style: string | null }> = [];
  let page: Rgb = WHITE;
  let textStart = -1;
  let textCount = 0;
  const hiddenTexts: Array<{ reason: HiddenReason; text: string; seq: number; start: number; end: number }> =
    [];

  const reasonOf = (run: { direct: RunProps; style: string | null }): HiddenReason | null => {
    const paragraph = paragraphs.at(-1);
    const paragraphStyle = resolveStyle(styles, paragraph ? paragraph.style : defaultParagraph);
    const props: RunProps = {
      ...defaults,
      ...paragraphStyle.props,
      ...resolveStyle(styles, run.style).props,
      ...run.direct,
    };
    if (props.vanish) return 'docx_vanish';
    const background =
      props.background ?? paragraph?.shading ?? paragraphStyle.shading ?? cells.findLast((c) => c) ?? page;
    if (props.color && contrast(props.color, background) < MIN_CONTRAST) return 'docx_white';
    if (props.halfPoints !== undefined && props.halfPoints < TINY_HALF_POINTS) return 'docx_tiny';
    return null;
  };

  for (const tag of tags(documentXml)) {
    if (tag.close) {
      stack.pop();
      const run = runs.at(-1);
      if (tag.name === 'w:t' && run && textStart >= 0) {
        textCount++;
        const reason = reasonOf(run);
        if (reason) {
          const text = decodeEntities(documentXml.slice(textStart, tag.start));
          hiddenTexts.push({ reason, text, seq: textCount, start: textStart, end: tag.start });
        }
        textStart = -1;
      } else if (tag.name === 'w:r') runs.pop();
      else if (tag.name === 'w:tc') cells.pop();
      else if (tag.name === 'w:p') paragraphs.pop();
      continue;
    }
    const parent = stack.at(-1);
    const run = runs.at(-1);
    const paragraph = paragraphs.at(-1);
    if (tag.name === 'w:background') page = hexColour(attr(tag.attrs, 'w:color')) ?? page;
    else if (parent === 'w:rPr' && stack.at(-2) === 'w:r' && run) {
      if (tag.name === 'w:rStyle') run.style = attr(tag.attrs, 'w:val') ?? null;
      else applyRunProperty(run.direct, tag);
    } else if (tag.name === 'w:shd' && parent === 'w:tcPr') cells[cells.length - 1] = shading(tag.attrs);
    else if (tag.name === 'w:shd' && parent === 'w:pPr' && paragraph) paragraph.shading = shading(tag.attrs);
    else if (tag.name === 'w:pStyle' && parent === 'w:pPr' && paragraph) {
      paragraph.style = attr(tag.attrs, 'w:val') ?? null;
    }
    if (tag.selfClosing) continue;
    if (tag.name === 'w:p') {
      paragraphs.push({ style: defaultParagraph });
      // A new paragraph breaks a span: the text counter jumps.
      textCount++;
    } else if (tag.name === 'w:tc') cells.push(undefined);
    else if (tag.name === 'w:r') runs.push({ direct: {}, style: null });
    else if (tag.name === 'w:t' && parent === 'w:r') textStart = tag.end;
    stack.push(tag.name);
  }

  return { hidden: groupSpans(hiddenTexts), cuts: hiddenTexts.map((h) => [h.start, h.end]) };
}

/** Hidden texts next to each other in one paragraph, for one reason, are one span. */
function groupSpans(texts: ReadonlyArray<{ reason: HiddenReason; text: string; seq: number }>): HiddenSpan[] {
  const spans: HiddenSpan[] = [];
  let last: { reason: HiddenReason; seq: number } | null = null;
  for (const t of texts) {
    const previous = spans.at(-1);
    if (previous && last && last.reason === t.reason && last.seq + 1 === t.seq) previous.text += t.text;
    else spans.push({ text: t.text, page: null, reason: t.reason });
    last = t;
  }
  return spans.map((s) => ({ ...s, text: s.text.replace(/\s+/gu, ' ').trim() })).filter((s) => s.text !== '');
}

/** Removes the hidden texts from the XML, leaving their (now empty) `w:t` elements in place. */
export function cutHidden(xml: string, cuts: ReadonlyArray<[number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of cuts) {
    out += xml.slice(at, start);
    at = end;
  }
  return out + xml.slice(at);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return ENTITIES[name] ?? whole;
  });
}

const safeCodePoint = (code: number, fallback: string): string =>
  Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
