/**
 * Text normalisation for locating quotes, with a map back to the original offsets.
 *
 * Both the candidate's text and the model's quote go through `normalizeForMatch`; a quote is verified when its
 * normalised form occurs in the normalised text. The map turns the match back into offsets in the original text,
 * which is what the reviewer's page highlights.
 *
 * What is folded, character by character (so every normalised character maps back to one original character):
 * - Unicode compatibility and canonical forms: NFKD, then Latin/Greek/Cyrillic combining diacritics dropped, so
 *   "é" (NFC), "e\u0301" (NFD) and "e" all match, and ligatures such as "ﬁ" and full-width letters fold to ASCII;
 * - case (lower case; final sigma as sigma);
 * - soft hyphens, zero-width characters, direction marks and BOMs (removed);
 * - runs of whitespace (one space; none at either end);
 * - curly quotes (straight forms);
 * - hyphens and dashes, with any whitespace around them (removed): "data-\nbase", "data - base" and "database" match.
 * With `confusables: true` (injection detection only, never grounding), Cyrillic and Greek letters that look like
 * Latin ones fold to the Latin letter, so "ignоre" written with a Cyrillic "о" reads "ignore".
 */
export interface NormalizedText {
  original: string;
  text: string;
  /** `map[i]` is the offset in the original string of normalised character `i`; `map[text.length]` is its length. */
  map: number[];
}

export interface NormalizeOptions {
  confusables?: boolean;
}

// Soft hyphen, zero-width and direction marks, word joiners, BOM, combining grapheme joiner, Mongolian vowel
// separator, invisible math operators, and the bidirectional embedding/isolate controls.
const removedCodePoints = new Set([
  0xad, 0x34f, 0x180e, 0xfeff, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);
const isRemoved = (codePoint: number): boolean =>
  removedCodePoints.has(codePoint) || (codePoint >= 0xe0000 && codePoint <= 0xe007f); // Unicode tag characters
/** Combining diacritics of Latin, Greek and Cyrillic; marks of other scripts carry meaning and are kept. */
const diacritic = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/u;
const hyphens = /[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]/u;
const singleQuotes = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/u;
const doubleQuotes = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/u;
const space = /\s/u;

/** Cyrillic and Greek letters (lower case, after folding) that render like a Latin letter. */
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  с: 'c',
  ԁ: 'd',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  ӏ: 'l',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  ԛ: 'q',
  ѕ: 's',
  т: 't',
  у: 'y',
  х: 'x',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ѡ: 'w',
  ı: 'i',
};

function fold(ch: string, confusables: boolean): string {
  if (singleQuotes.test(ch)) return "'";
  if (doubleQuotes.test(ch)) return '"';
  let out = '';
  for (const unit of ch.normalize('NFKD').toLowerCase()) {
    if (diacritic.test(unit) || hyphens.test(unit) || isRemoved(unit.codePointAt(0) ?? 0)) continue;
    if (unit === 'ς') out += 'σ';
    else out += confusables ? (CONFUSABLES[unit] ?? unit) : unit;
  }
  return out;
}

export function normalizeForMatch(input: string, options: NormalizeOptions = {}): NormalizedText {
  const confusables = options.confusables === true;
  const out: string[] = [];
  const map: number[] = [];
  let pendingSpaceAt = -1;
  let i = 0;
  while (i < input.length) {
    const codePoint = input.codePointAt(i) as number;
    const ch = String.fromCodePoint(codePoint);
    const width = ch.length;
    if (isRemoved(codePoint)) {
      i += width;
      continue;
    }
    if (hyphens.test(ch)) {
      // A hyphen or dash and the whitespace on both sides of it disappear: "data-\nbase" reads "database".
      // Characters that are removed anyway (a zero-width space after the hyphen) do not end that whitespace.
      pendingSpaceAt = -1;
      i += width;
      while (i < input.length) {
        const next = input.codePointAt(i) as number;
        if (!space.test(input[i] as string) && !isRemoved(next)) break;
        i += next > 0xffff ? 2 : 1;
      }
      continue;
    }
    if (space.test(ch)) {
      if (out.length > 0 && pendingSpaceAt < 0) pendingSpaceAt = i;
      i += width;
      continue;
    }
    const folded = fold(ch, confusables);
    if (folded.length === 0) {
      i += width;
      continue;
    }
    if (pendingSpaceAt >= 0) {
      out.push(' ');
      map.push(pendingSpaceAt);
      pendingSpaceAt = -1;
    }
    // NFKD may expand one character ("ﬁ" -> "fi"): every piece maps back to the same original character.
    for (const unit of folded) {
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

/** Quotes shorter than this many normalised characters are refused: they would match by chance. */
export const MIN_QUOTE_CHARS = 8;

/** The normalised form a quote is searched by (what `locateQuote` looks for). */
export const quoteNeedle = (quote: string, options: NormalizeOptions = {}): string =>
  normalizeForMatch(quote, options).text;

/** Original offsets `[start, end)` of normalised characters `[from, to)`, widened over trailing marks. */
export function originalSpan(source: NormalizedText, from: number, to: number): Located {
  const start = source.map[from] as number;
  const lastOriginal = source.map[to - 1] as number;
  let end = lastOriginal + ((source.original.codePointAt(lastOriginal) ?? 0) > 0xffff ? 2 : 1);
  // Keep combining marks and zero-width characters that trail the last character with it ("e\u0301").
  while (end < source.original.length) {
    const cp = source.original.codePointAt(end) as number;
    const ch = String.fromCodePoint(cp);
    if (!(diacritic.test(ch) || isRemoved(cp))) break;
    end += ch.length;
  }
  return { start, end };
}

/**
 * Every place `quote` occurs in `source` after normalisation, as original offsets, in reading order; empty when the
 * quote is shorter than `minChars` normalised characters.
 */
export function locateAll(source: NormalizedText, quote: string, minChars = MIN_QUOTE_CHARS): Located[] {
  const needle = quoteNeedle(quote);
  if (needle.length < minChars) return [];
  const found: Located[] = [];
  let at = source.text.indexOf(needle);
  while (at >= 0) {
    found.push(originalSpan(source, at, at + needle.length));
    at = source.text.indexOf(needle, at + 1);
  }
  return found;
}

/**
 * Finds `quote` in `source` after normalisation. Returns original offsets `[start, end)` of its first occurrence,
 * or `null`.
 */
export function locateQuote(
  source: NormalizedText,
  quote: string,
  minChars = MIN_QUOTE_CHARS,
): Located | null {
  const needle = quoteNeedle(quote);
  if (needle.length < minChars) return null;
  const at = source.text.indexOf(needle);
  return at < 0 ? null : originalSpan(source, at, at + needle.length);
}
