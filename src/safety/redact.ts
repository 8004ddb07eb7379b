import type { Edit, EditKind } from './material';
import { findPatternPii } from './pii-patterns';

/**
 * Blind screening: the personal details of a resume, as edits that replace each with a placeholder the model can
 * read ("[NAME]", "[EMAIL]"). The people to look for are the name and email given at upload and the names the resume
 * gives itself (find-name.ts); everything else is pattern-based (pii-patterns.ts).
 */
export interface KnownPii {
  name: string | null;
  email: string | null;
}

/** The names and emails blind screening removes wherever they appear, and the leak check looks for. */
export interface People {
  names: string[];
  emails: string[];
}

export const PLACEHOLDERS: Record<EditKind, string> = {
  name: '[NAME]',
  email: '[EMAIL]',
  phone: '[PHONE]',
  address: '[ADDRESS]',
  profile_link: '[PROFILE LINK]',
  date_of_birth: '[DATE OF BIRTH]',
  age: '[AGE]',
  photo: '[PHOTO]',
  gender: '[GENDER]',
  personal_detail: '[PERSONAL DETAIL]',
  injection: '[instruction-like text withheld]',
  invisible: '',
  markup: '&lt;',
};

const HONORIFICS = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'jr',
  'sr',
  'ii',
  'iii',
  'phd',
]);

/** Base letters, one UTF-16 unit for one: "José" reads "Jose" at the same offsets. */
export const foldDiacritics = (text: string): string =>
  Array.from({ length: text.length }, (_, i) => {
    const unit = text[i] as string;
    const base = unit.normalize('NFD')[0] ?? unit;
    return base.length === 1 ? base : unit;
  }).join('');

/** A word a name is made of: letters (with their marks), joined by apostrophes or hyphens ("O'Brien-Picard"). */
const NAME_WORD = /^[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*$/u;

/**
 * The words of a name as typed in the upload form. The field is free text: the name ends at the first word that
 * could not be part of one ("Ada Lovelace (she/her)", or markup pasted after it), so that stray text is neither
 * redacted from the resume nor searched for by the leak check.
 */
export function nameParts(name: string): string[] {
  const words = name
    .split(/[\s,.()"“”]+/u)
    .map((p) => p.replace(/^['’-]+|['’-]+$/gu, ''))
    .filter((p) => p !== '');
  const end = words.findIndex((w) => !NAME_WORD.test(w));
  return (end < 0 ? words : words.slice(0, end)).filter(
    (p) => [...p].filter((c) => /\p{L}/u.test(c)).length >= 2 && !HONORIFICS.has(p.toLowerCase()),
  );
}

/**
 * Only the syntax characters: the patterns are compiled in Unicode mode, where escaping anything else ("\-" in
 * "Jean-Luc") is a SyntaxError rather than a no-op.
 */
export const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Between two letters of a name: nothing, or the spacing of a letter-spaced heading ("P R I Y A"). */
const LETTER_GAP = '[\\s.\\u00b7\\u00ad\\u200b-\\u200d\\u2060]?';

/** Whether a letter is lower case: the first letter of a name never is (caseless scripts included). */
export const isLowerCase = (ch: string | undefined): boolean => ch !== undefined && /\p{Ll}/u.test(ch);

/**
 * A name written out whole, particles and initials included ("Maria de la Cruz Gonzalez", "J. R. Tolkien"), becomes
 * one placeholder: redacted part by part it would leave "[NAME] de la [NAME]", which still says something. Whole,
 * it is redacted in any case ("maria gonzalez"): a single "will" or "rose" in a sentence is a word, but the whole
 * sequence of a name's words is the name.
 */
function wholeNameEdits(folded: string, names: readonly string[]): Edit[] {
  const edits: Edit[] = [];
  for (const name of names) {
    // As far as it reads as a name, like nameParts: free text after it is no part of the pattern.
    const all = foldDiacritics(name).trim().split(/\s+/u);
    const end = all.findIndex((w) => !/^[\p{L}\p{M}'’.-]+$/u.test(w));
    const words = (end < 0 ? all : all.slice(0, end)).filter((w) => /\p{L}/u.test(w));
    if (words.length < 2 || nameParts(name).length === 0) continue;
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}])${words.map(escapeRegex).join('[\\s.]+')}(?![\\p{L}\\p{N}])`,
      'giu',
    );
    edits.push(...matchEdits(folded, re, 'name'));
  }
  return edits;
}

/**
 * Each match of a global `re` in `text` as an edit to `kind`'s placeholder. `text` may be the diacritic-folded text:
 * folding keeps every offset.
 */
export function matchEdits(text: string, re: RegExp, kind: EditKind): Edit[] {
  return Array.from(text.matchAll(re), (m) => ({
    kind,
    start: m.index,
    end: m.index + m[0].length,
    replacement: PLACEHOLDERS[kind],
  }));
}

function namePattern(part: string): RegExp {
  const letters = [...foldDiacritics(part)].map(escapeRegex);
  const body = letters.length >= 3 ? letters.join(LETTER_GAP) : letters.join('');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?:['’]s)?(?![\\p{L}\\p{N}])`, 'giu');
}

/**
 * Every occurrence of known names (each part, written capitalised or in capitals) and emails (whole, or the local
 * part alone) in `text`, as edits. Shared with take-homes, whose names also come from the project's metadata.
 */
export function knownValueEdits(text: string, names: readonly string[], emails: readonly string[]): Edit[] {
  const edits: Edit[] = [];
  const folded = foldDiacritics(text);
  const parts = [...new Set(names.flatMap(nameParts))].sort((a, b) => b.length - a.length);
  for (const part of parts) {
    for (const m of folded.matchAll(namePattern(part))) {
      // Names are written capitalised, in capitals or in a script without case; "will" and "rose" in a sentence are
      // not "Will" and "Rose".
      if (isLowerCase(text[m.index])) continue;
      edits.push({
        kind: 'name',
        start: m.index,
        end: m.index + m[0].length,
        replacement: PLACEHOLDERS.name,
      });
    }
  }
  edits.push(...wholeNameEdits(folded, names));
  for (const raw of emails) {
    const email = raw.trim();
    const local = email.split('@')[0] ?? '';
    // The local part alone ("priya.raman" in a handle) identifies too, unless it is just a name part (redacted as such).
    const localIsName = parts.some((p) => p.toLowerCase() === local.toLowerCase());
    for (const needle of [email, local.length >= 4 && !localIsName ? local : null]) {
      if (!needle) continue;
      const re = new RegExp(
        `(?<![\\p{L}\\p{N}._%+-])${escapeRegex(needle)}(?![\\p{L}\\p{N}_%+-]|\\.[\\p{L}\\p{N}])`,
        'giu',
      );
      edits.push(...matchEdits(text, re, 'email'));
    }
  }
  return edits;
}

/** Every personal detail found in `text`, as edits to apply (see material.ts). */
export function redactionEdits(text: string, people: People): Edit[] {
  const fromPatterns = findPatternPii(text).map(
    (hit): Edit => ({ ...hit, replacement: PLACEHOLDERS[hit.kind] }),
  );
  return [...knownValueEdits(text, people.names, people.emails), ...fromPatterns];
}
