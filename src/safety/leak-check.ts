import { type NormalizedText, normalizeForMatch } from '../assessment/normalize';
import { nameSightings } from './find-name';
import type { EditKind } from './material';
import { findPatternPii } from './pii-patterns';
import { isLowerCase, nameParts, type People } from './redact';

/**
 * The last look at what is about to be sent, done differently from the redactor so that one's blind spot is not
 * the other's: known values are searched on normalised text (case, zero-width characters, full-width letters,
 * hyphenated breaks and Cyrillic/Greek look-alikes folded) and the full name on a letters-only skeleton
 * ("P.R.I.Y.A R-A-M-A-N"); the pattern detectors run again on the final text, and so does the name finder: a name
 * still in the header or after a "Name:" label of what is about to be sent is a leak, whatever the redactor knew.
 * Any finding stops the draft.
 */
export interface Leak {
  kind: EditKind;
  /** Offset in the checked text; never the value itself, which must not reach logs. */
  at: number;
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

function wholeWordHits(normalised: NormalizedText, needle: string, requireCapital: boolean): number[] {
  const text = normalised.original;
  const target = normalizeForMatch(needle, { confusables: true }).text;
  const hits: number[] = [];
  if (target.length < 2) return hits;
  let at = normalised.text.indexOf(target);
  while (at >= 0) {
    const original = normalised.map[at] as number;
    const last = normalised.map[at + target.length - 1] as number;
    // A word boundary in either reading: normalising drops a dash and the spaces around it, so "AWS\n- Priya" reads
    // "awspriya" and only the original shows where the name begins.
    const before = !isWordChar(normalised.text[at - 1]) || !isWordChar(text[original - 1]);
    const after = !isWordChar(normalised.text[at + target.length]) || !isWordChar(text[last + 1]);
    const capital = !isLowerCase(text[original]);
    if (before && after && (!requireCapital || capital)) hits.push(original);
    at = normalised.text.indexOf(target, at + 1);
  }
  return hits;
}

/** Letters only, folded, with each letter's original offset. */
function skeleton(normalised: NormalizedText): { letters: string; map: number[] } {
  let letters = '';
  const map: number[] = [];
  for (let i = 0; i < normalised.text.length; i++) {
    const ch = normalised.text[i] as string;
    if (/\p{L}/u.test(ch)) {
      letters += ch;
      map.push(normalised.map[i] as number);
    }
  }
  return { letters, map };
}

/** What is left of a resume's personal details in `text`, the material about to be sent. */
export function findLeaks(text: string, people: People): Leak[] {
  const leaks: Leak[] = findPatternPii(text).map((hit) => ({ kind: hit.kind, at: hit.start }));
  leaks.push(...findKnownLeaks(text, people.names, people.emails));
  for (const sighting of nameSightings(text)) {
    leaks.push({ kind: 'name', at: sighting.at });
  }
  return leaks;
}

/**
 * Known names (each part written capitalised, and the whole name as a letters-only skeleton in any case) and emails
 * (whole, or the local part unless it is only a name part) still in `text`.
 */
export function findKnownLeaks(text: string, names: readonly string[], emails: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const allParts = names.flatMap(nameParts);
  // Normalised once: a take-home is tens of thousands of characters, searched for every part of every name.
  const normalised = normalizeForMatch(text, { confusables: true });
  let letters: ReturnType<typeof skeleton> | null = null;
  for (const name of names) {
    const parts = nameParts(name);
    for (const part of parts) {
      for (const at of wholeWordHits(normalised, part, true)) leaks.push({ kind: 'name', at });
    }
    const full = parts
      .map((p) => normalizeForMatch(p, { confusables: true }).text.replace(/[^\p{L}]/gu, ''))
      .join('');
    if (full.length >= 6) {
      letters ??= skeleton(normalised);
      const { map } = letters;
      let at = letters.letters.indexOf(full);
      while (at >= 0) {
        const start = map[at] as number;
        const end = map[at + full.length - 1] as number;
        // Only when the run starts and ends on word boundaries: "cusTOM ASHes" is not Tom Ash.
        if (!/\p{L}/u.test(text[start - 1] ?? '') && !/\p{L}/u.test(text[end + 1] ?? '')) {
          leaks.push({ kind: 'name', at: start });
        }
        at = letters.letters.indexOf(full, at + 1);
      }
    }
  }
  for (const email of emails) {
    const local = email.split('@')[0] ?? '';
    for (const at of wholeWordHits(normalised, email, false)) leaks.push({ kind: 'email', at });
    if (local.length >= 4 && !allParts.some((p) => p.toLowerCase() === local.toLowerCase())) {
      for (const at of wholeWordHits(normalised, local, false)) leaks.push({ kind: 'email', at });
    }
  }
  return leaks;
}
