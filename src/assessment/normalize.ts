/**
 * Text normalisation for locating quotes, with a map back to the original offsets.
 *
 * Both the candidate's text and the model's quote go through `normalizeForMatch`; a quote is verified when its
 * normalised form occurs in the normalised text. The map turns the match back into offsets in the original text,
 * which is what the reviewer's page highlights.
 *
 * What is folded: Unicode compatibility forms (NFKC: ligatures such as "ﬁ", full-width letters), case, soft hyphens and
 * zero-width characters (removed), runs of whitespace (one space), curly quotes and dashes (straight forms), and
 * hyphens (removed, together with a line break that follows one: "data-\nbase" and "database" match).
 */
export interface NormalizedText {
  original: string;
  text: string;
  /** `map[i]` is the offset in the original string of normalised character `i`; `map[text.length]` is its length. */
  map: number[];
}

// Soft hyphen, zero-width and direction marks, word joiners, BOM, combining grapheme joiner, Mongolian vowel separator.
const removedCodePoints = new Set([
  0xad, 0x34f, 0x180e, 0xfeff, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
]);
const removed = { test: (ch: string): boolean => removedCodePoints.has(ch.codePointAt(0) ?? -1) };
const hyphens = /[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/u;
const singleQuotes = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/u;
const doubleQuotes = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/u;
const space = /\s/u;

export function normalizeForMatch(input: string): NormalizedText {
  const out: string[] = [];
  const map: number[] = [];
  let pendingSpaceAt = -1;
  let i = 0;
  while (i < input.length) {
    const codePoint = input.codePointAt(i) as number;
    const ch = String.fromCodePoint(codePoint);
    const width = ch.length;
    if (removed.test(ch)) {
      i += width;
      continue;
    }
    if (hyphens.test(ch)) {
      // Drop the hyphen; if only whitespace with a line break follows, drop that too (a hyphenated line break).
      let j = i + width;
      let sawNewline = false;
      while (j < input.length && space.test(input[j] as string)) {
        if (input[j] === '\n' || input[j] === '\r') sawNewline = true;
        j++;
      }
      i = sawNewline ? j : i + width;
      continue;
    }
    if (space.test(ch)) {
      if (out.length > 0 && pendingSpaceAt < 0) pendingSpaceAt = i;
      i += width;
      continue;
    }
    if (pendingSpaceAt >= 0) {
      out.push(' ');
      map.push(pendingSpaceAt);
      pendingSpaceAt = -1;
    }
    let folded = ch;
    if (singleQuotes.test(ch)) folded = "'";
    else if (doubleQuotes.test(ch)) folded = '"';
    else folded = ch.normalize('NFKC').toLowerCase();
    for (const unit of folded) {
      // NFKC may expand one character ("ﬁ" -> "fi"): every piece maps back to the same original character.
      if (hyphens.test(unit) || removed.test(unit)) continue;
      out.push(unit);
      map.push(i);
    }
    i += width;
  }
  map.push(input.length);
  return { original: input, text: out.join(''), map };
}

export interface Located {
  start: number;
  end: number;
}

/**
 * Finds `quote` in `source` after normalisation. Returns original offsets `[start, end)` or `null`.
 * Quotes shorter than `minChars` normalised characters are refused: they would match by chance.
 */
export function locateQuote(source: NormalizedText, quote: string, minChars = 8): Located | null {
  const needle = normalizeForMatch(quote).text.trim();
  if (needle.length < minChars) return null;
  const at = source.text.indexOf(needle);
  if (at < 0) return null;
  const start = source.map[at] as number;
  const lastOriginal = source.map[at + needle.length - 1] as number;
  const lastWidth = (source.original.codePointAt(lastOriginal) ?? 0) > 0xffff ? 2 : 1;
  return { start, end: lastOriginal + lastWidth };
}
