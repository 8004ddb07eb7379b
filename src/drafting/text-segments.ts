/**
 * Lines, sentences and quotes of a candidate's text, always as offsets into the original string. A quote is a
 * verbatim slice of the source: the grounding step looks every quote up in the text, so nothing here may rewrite,
 * re-space or re-join what the candidate wrote.
 */

/** A span of the source text: `text === source.slice(start, end)`. */
export interface Segment {
  text: string;
  start: number;
  end: number;
}

export const MAX_QUOTE_CHARS = 300;

const LINE_BREAK = /\r\n|[\n\r\f\u2028\u2029]/g;
/** List markers a quote does not need: the grounding step finds the rest of the line either way. */
const LEADING_MARKER = /^[\s\-*•·▪◦‣–—>]*\s/u;

const span = (source: string, start: number, end: number): Segment => ({
  text: source.slice(start, end),
  start,
  end,
});

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);

/** Shrinks [start, end) past surrounding whitespace. */
function trimSpan(source: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isSpace(source[s])) s++;
  while (e > s && isSpace(source[e - 1])) e--;
  return [s, e];
}

/** The non-blank lines of `text` with their offsets, line terminators and surrounding whitespace excluded. */
export function splitLines(text: string): Segment[] {
  const lines: Segment[] = [];
  let from = 0;
  const push = (to: number) => {
    const [s, e] = trimSpan(text, from, to);
    if (e > s) lines.push(span(text, s, e));
  };
  for (const m of text.matchAll(LINE_BREAK)) {
    push(m.index);
    from = m.index + m[0].length;
  }
  push(text.length);
  return lines;
}

const SENTENCE_STOP = new Set(['.', '!', '?', ';']);
const INLINE_BULLET = new Set(['•', '·', '▪']);
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/**
 * The sentence of `line` that holds [matchStart, matchEnd), trimmed. Looks at most `reach` characters either way:
 * a longer sentence is cut to a window anyway, and a 200 kB line without a full stop stays cheap.
 */
function sentenceAround(
  source: string,
  line: Segment,
  matchStart: number,
  matchEnd: number,
  reach: number,
): [number, number] {
  let start = Math.max(line.start, matchStart - reach);
  for (let i = matchStart - 1; i >= start; i--) {
    const ch = source[i] ?? '';
    if (INLINE_BULLET.has(ch) || (SENTENCE_STOP.has(ch) && isSpace(source[i + 1]))) {
      start = i + 1;
      break;
    }
  }
  let end = Math.min(line.end, matchEnd + reach);
  for (let i = matchEnd; i < end; i++) {
    const ch = source[i] ?? '';
    if (INLINE_BULLET.has(ch)) {
      end = i;
      break;
    }
    if (SENTENCE_STOP.has(ch) && (i + 1 >= line.end || isSpace(source[i + 1]))) {
      end = i + 1;
      break;
    }
  }
  return trimSpan(source, start, end);
}

/**
 * The quote for a match inside `line` (offsets are absolute): the line without its list marker when it fits in
 * `max` characters, otherwise the sentence holding the match, otherwise a window around the match cut on word
 * boundaries. The result always contains the start of the match and is a verbatim slice of `source`.
 */
export function quoteAround(
  source: string,
  line: Segment,
  matchStart: number,
  matchEnd: number,
  max: number = MAX_QUOTE_CHARS,
): Segment {
  const marker = LEADING_MARKER.exec(line.text);
  const lineStart = Math.min(line.start + (marker?.[0].length ?? 0), matchStart);
  if (line.end - lineStart <= max) return span(source, lineStart, line.end);

  const [sentStart, sentEnd] = sentenceAround(source, line, matchStart, matchEnd, max);
  if (sentEnd - sentStart <= max) return span(source, sentStart, sentEnd);

  // A window of `max` characters centred on the match when the match is short, starting at it when it is long.
  const matchLength = Math.min(matchEnd - matchStart, max);
  let start = Math.max(sentStart, matchStart - Math.floor((max - matchLength) / 2));
  let end = Math.min(sentEnd, start + max);
  start = Math.max(sentStart, Math.min(start, end - max));
  // Never start or end inside a word: move inwards to the nearest space, keeping the start of the match.
  if (isWordChar(source[start - 1]) && isWordChar(source[start])) {
    while (start < matchStart && !isSpace(source[start - 1])) start++;
  }
  if (isWordChar(source[end - 1]) && isWordChar(source[end])) {
    let cut = end;
    while (cut > matchStart + 1 && !isSpace(source[cut])) cut--;
    if (cut > matchStart + 1) end = cut;
  }
  const [s, e] = trimSpan(source, start, end);
  return span(source, s, e);
}
