import { nameSightings, type Sighting } from './find-name';
import { foldDiacritics, type KnownPii, nameParts, type People } from './redact';

/**
 * The people blind screening removes from a resume: the name and email given at upload, and the names the resume
 * gives itself (find-name.ts).
 *
 * With no name given at upload, the finder's sightings are only as good as the header: a capitalised "Berlin
 * Germany" under a lower-case "maria gonzalez" reads as a name too, and redacting the town while sending the name is
 * the failure blind screening exists to prevent. So the resume must name its writer somewhere credible: on its top
 * line, after a "Name:" label, or as the local part of an email ("maria.gonzalez@" for "Maria Gonzalez"). If it
 * does, every sighting is redacted (one more redacted town costs nothing, and the leak check would stop one left in
 * the header anyway); if not, `names` is empty and the screening fails closed (prepare-material.ts).
 */
export function resumePeople(text: string, known: KnownPii): People {
  const emails = known.email ? [known.email] : [];
  const sightings = nameSightings(text).filter((s) => nameParts(s.name).length > 0);
  const locals = [...emails.map((e) => e.split('@')[0] ?? ''), ...emailsIn(text)]
    .map(localLetters)
    .filter((l) => l.length >= 4);
  const credible = (s: Sighting): boolean => s.source !== 'header' || locals.some((l) => agrees(s.name, l));
  const found = known.name !== null || sightings.some(credible) ? sightings.map((s) => s.name) : [];
  const names = [known.name, ...found].filter((n): n is string => n !== null && nameParts(n).length > 0);
  return { names: [...new Set(names)], emails };
}

/** The characters an email's local part is written with. */
const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;

/**
 * The emails' local parts in `text`. Read word by word rather than with a pattern: `[...]+@` tried at every start
 * of a long run of letters with no "@" after it is quadratic.
 */
function emailsIn(text: string): string[] {
  const locals: string[] = [];
  for (const word of text.split(/\s+/u)) {
    const at = word.indexOf('@');
    if (at <= 0 || !/\p{L}/u.test(word.slice(at + 1))) continue;
    let start = at;
    while (start > 0 && LOCAL_CHAR.test(word[start - 1] as string)) start--;
    if (start < at) locals.push(word.slice(start, at));
  }
  return locals;
}

/** Letters only, folded and in lower case: "Maria.Gonzalez85" reads "mariagonzalez". */
const localLetters = (local: string): string =>
  foldDiacritics(local)
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');

/**
 * Whether an email's local part (as `localLetters`) spells `name`: all its words in order or reversed, first and
 * last, or an initial and the other ("mgonzalez", "mariag").
 */
function agrees(name: string, local: string): boolean {
  const parts = nameParts(name).map(localLetters);
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (parts.length < 2) return false;
  return [
    parts.join(''),
    [...parts].reverse().join(''),
    first + last,
    last + first,
    first.slice(0, 1) + last,
    first + last.slice(0, 1),
  ].includes(local);
}
