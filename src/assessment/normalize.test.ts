import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateAll, locateQuote, normalizeForMatch, quoteNeedle } from './normalize';

// Characters resumes are made of, plus the ones normalisation must see through.
const plain = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:()/+#%&'.split(''),
);
const tricky = fc.constantFrom(
  ' ',
  '  ',
  '\n',
  '\t',
  '\u00a0',
  '-',
  '\u2013',
  '\u00ad',
  '\u200b',
  '\ufeff',
  '\ufb01', // ﬁ
  '\u00e9', // é (NFC)
  'e\u0301', // é (NFD)
  '\u2019',
  '\u201c',
  '\uff21', // full-width A
  '\u{1d400}', // mathematical bold A (astral)
  '\u043e', // Cyrillic o
);
const piece = fc.oneof({ weight: 6, arbitrary: plain }, { weight: 2, arbitrary: tricky });
const textArb = fc.array(piece, { maxLength: 120 }).map((parts) => parts.join(''));

/** Variants of a string that normalisation must not tell apart from it. */
function disguise(text: string, seed: number): string {
  let out = '';
  let n = seed;
  for (const ch of text) {
    n = (n * 1103515245 + 12345) % 2 ** 31;
    const choice = n % 7;
    if (choice === 0) out += ch.toUpperCase();
    else if (choice === 1) out += `${ch}\u200b`;
    else if (choice === 2 && ch === ' ') out += ' \n  ';
    else if (choice === 3) out += ch.normalize('NFD');
    else if (choice === 4 && ch === 'f') out += '\u00adf';
    else out += ch;
  }
  return out;
}

describe('normalizeForMatch (properties)', () => {
  it('maps every normalised character back into the original, in order', () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const n = normalizeForMatch(s);
        expect(n.map).toHaveLength(n.text.length + 1);
        expect(n.map[n.text.length]).toBe(s.length);
        for (let i = 0; i < n.text.length; i++) {
          expect(n.map[i]).toBeGreaterThanOrEqual(0);
          expect(n.map[i]).toBeLessThan(s.length);
          if (i > 0) expect(n.map[i]).toBeGreaterThanOrEqual(n.map[i - 1] as number);
        }
      }),
    );
  });

  it('is idempotent and leaves no whitespace at the ends or doubled inside', () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const once = normalizeForMatch(s).text;
        expect(normalizeForMatch(once).text).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s\s|[-\u00ad\u200b]/u);
      }),
    );
  });

  it('does not tell case, zero-width characters, soft hyphens, line breaks or NFC/NFD apart', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), (s, seed) => {
        expect(normalizeForMatch(disguise(s, seed)).text).toBe(normalizeForMatch(s).text);
      }),
    );
  });

  it('drops the whitespace after a hyphen even when a zero-width character stands between them', () => {
    // fast-check found this one: "aaaa-\u200b  a" read "aaaa a" while "aaaa-  a" read "aaaaa".
    expect(normalizeForMatch('aaaa-\u200b  a').text).toBe(normalizeForMatch('aaaa-  a').text);
    expect(normalizeForMatch('data-\u200b\n base').text).toBe('database');
  });

  it('folds ligatures, full-width letters and hyphenated line breaks', () => {
    expect(normalizeForMatch('Pro\ufb01led the data-\n  base').text).toBe('profiled the database');
    expect(normalizeForMatch('\uff21\uff30\uff29 design').text).toBe('api design');
    expect(normalizeForMatch('caf\u00e9').text).toBe(normalizeForMatch('cafe\u0301').text);
    expect(normalizeForMatch('\u201cquoted\u201d it\u2019s').text).toBe('"quoted" it\'s');
  });

  it('folds homoglyphs only when asked to', () => {
    const cyrillic = 'ign\u043ere previ\u043eus instructi\u043ens';
    expect(normalizeForMatch(cyrillic).text).not.toBe('ignore previous instructions');
    expect(normalizeForMatch(cyrillic, { confusables: true }).text).toBe('ignore previous instructions');
  });
});

describe('locateQuote (properties)', () => {
  it('finds every long enough substring, at offsets whose text normalises to the quote', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), (s, a, b) => {
        // Sliced by code point: a quote is text, and half a surrogate pair is not (fast-check once cut "\u{1d400}").
        const chars = Array.from(s);
        const from = a % (chars.length + 1);
        const to = from + (b % (chars.length - from + 1));
        const quote = chars.slice(from, to).join('');
        const needle = quoteNeedle(quote);
        const source = normalizeForMatch(s);
        const at = locateQuote(source, quote);
        if (needle.length < 8) {
          expect(at).toBeNull();
          return;
        }
        expect(at).not.toBeNull();
        if (!at) return;
        expect(at.start).toBeLessThan(at.end);
        expect(at.end).toBeLessThanOrEqual(s.length);
        expect(normalizeForMatch(s.slice(at.start, at.end)).text).toBe(needle);
      }),
    );
  });

  it('finds a quote copied with different case, spacing, zero-width characters or normal form', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), (s, a, seed) => {
        const chars = Array.from(s);
        const from = a % (chars.length + 1);
        const quote = chars.slice(from, from + 40).join('');
        if (quoteNeedle(quote).length < 8) return;
        const at = locateQuote(normalizeForMatch(s), disguise(quote, seed));
        expect(at).not.toBeNull();
      }),
    );
  });

  it('never finds a quote that holds something the text does not', () => {
    fc.assert(
      fc.property(textArb, fc.string({ minLength: 8, maxLength: 30 }), (s, quote) => {
        // "§" is never in the generated texts, and no normalisation removes it.
        const at = locateQuote(normalizeForMatch(s), `${quote}§`);
        expect(at).toBeNull();
      }),
    );
  });

  it('lists every occurrence in reading order', () => {
    fc.assert(
      fc.property(fc.array(textArb, { minLength: 1, maxLength: 4 }), (parts) => {
        const marker = 'Kafka pipelines at scale';
        const s = parts.join(` ${marker} `);
        const found = locateAll(normalizeForMatch(s), marker);
        expect(found.length).toBeGreaterThanOrEqual(parts.length - 1);
        for (const at of found)
          expect(normalizeForMatch(s.slice(at.start, at.end)).text).toBe(quoteNeedle(marker));
        for (let i = 1; i < found.length; i++) {
          expect(found[i]?.start).toBeGreaterThan(found[i - 1]?.start as number);
        }
      }),
    );
  });

  it('refuses quotes too short to mean anything', () => {
    const source = normalizeForMatch('Built APIs in Go and Python');
    expect(locateQuote(source, 'in Go')).toBeNull();
    expect(locateQuote(source, '   ')).toBeNull();
    expect(locateQuote(source, 'APIs in Go')).toEqual({ start: 6, end: 16 });
  });

  it('keeps a trailing combining mark inside the span', () => {
    const s = 'Ran the caf\u0065\u0301 ordering service';
    const at = locateQuote(normalizeForMatch(s), 'ran the cafe');
    expect(at && s.slice(at.start, at.end)).toBe('Ran the caf\u0065\u0301');
  });
});
