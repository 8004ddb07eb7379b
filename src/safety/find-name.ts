import {
  ALSO_NAMES,
  LOWER_CASE_CONNECTORS,
  NAME_AFFIXES,
  NAME_PARTICLES,
  NOT_NAME_WORDS,
  SECTION_HEADINGS,
} from './name-words';
import { foldDiacritics } from './redact';

/**
 * The candidate's name as a resume writes it, for blind screening when the upload gave none (and beside the one it
 * gave: a form's "Bill Smith" does not redact the resume's "William Smith"). It looks in two places:
 *
 * - Labels, anywhere: a line beginning "Name:", "Full name", "Candidate (name)", "Applicant (name)", "First name",
 *   "Surname" and the like (":", "|", "-" or a tab after the label; or the value alone on the next line).
 * - The contact header: the lines before the first section heading ("Summary", "Work Experience", "EDUCATION",
 *   "## Skills", "E X P E R I E N C E"), at most eight lines with letters. Lines without letters (a page number) are
 *   passed over; document titles are skipped or cut off ("Curriculum Vitae", "Resume of Maria Gonzalez", "Maria
 *   Gonzalez - CV"); a line is cut into pieces at separators (| · • , ; / — – " - " brackets, tabs, wide gaps), and
 *   every piece that reads as a name is taken. Job titles and contact details read as no name, so "Senior Python
 *   Engineer", "maria@example.com" or "+44 20 7946 0000" are skipped, and "Maria Gonzalez Senior Engineer" gives
 *   "Maria Gonzalez".
 *
 * A name is two to five words (one is enough after a label), each capitalised ("José", "O'Brien-Picard",
 * "McDonald"), in capitals ("GONZALEZ") or in a caseless script, with initials and lower-case particles between them
 * ("Maria de la Cruz Gonzalez Ruiz", "Ali bin Omar"), honorifics and post-nominals dropped ("Dr.", "PhD"), and no
 * word from name-words.ts (job titles, sections, skills, organisations, places). "GONZALEZ, Maria" is read surname
 * first; a letter-spaced heading ("M A R I A   G O N Z A L E Z") is read with its letters joined. A name written in
 * lower case is found only on the top line, as the whole of a piece of it ("maria gonzalez"), and a name only at the
 * end not at all. Which sightings blind screening believes is decided in resume-people.ts.
 */
const HEADER_LINES = 8;
const MAX_WORDS = 5;
const MAX_WORD_LENGTH = 60;

type Kind = 'word' | 'initial' | 'particle' | 'affix' | 'other';

/**
 * `text` without its trailing characters from `chars`. A loop, not `/[...]+$/`: a regex tries that at every start
 * in a run of such characters followed by something else, which is quadratic in the run (a line of 20,000 spaces
 * took seconds), and the finder reads every line of every upload.
 */
function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/** Whitespace as `\s` reads it, for `trimEndOf`. */
const SPACE =
  ' \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

const key = (word: string): string =>
  trimEndOf(
    foldDiacritics(word)
      .toLowerCase()
      .replace(/^[("'“‘]+/u, ''),
    ')"\'”’.,:;!?',
  );

const CAPITALISED = /^\p{Lu}\p{M}*(?:['’]\p{Lu}\p{M}*)?[\p{Ll}\p{M}]+(?:['’-]\p{L}\p{M}*[\p{Ll}\p{M}]*)*$/u;
const PREFIXED = /^(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|Van|Von)\p{Lu}[\p{Ll}\p{M}]+$/u;
const CAPITALS = /^\p{Lu}\p{M}*(?:['’-]?\p{Lu}\p{M}*)+$/u;
const CASELESS = /^[\p{Lo}\p{M}]{1,12}$/u;
const INITIALS = /^(?:\p{Lu}\.){1,3}$|^\p{Lu}$/u;
/** "al-Hassan", "d'Artagnan", "el-Amin": a lower-case particle joined to the word it belongs to. */
const JOINED_PARTICLE = /^(?:al|el|ad|as|ash|at|an|ar|ud|ul|d|l|o)['’-](\S+)$/u;
/** Titles in scripts without case: a caseless word is otherwise read as a name. */
const CASELESS_TITLES = new Set(['简历', '个人简历', '履歴書', '職務経歴書', '이력서']);

/** `topLine`: the resume's first line, where "West" or "Page" is read as the name it usually is there. */
function kind(raw: string, topLine = false): Kind {
  // No name word is this long; the patterns below need not read a token of thousands of characters.
  if (raw.length > MAX_WORD_LENGTH) return 'other';
  const word = INITIALS.test(raw) ? raw : trimEndOf(raw, '.,;:');
  const k = key(word);
  if (NAME_AFFIXES.has(k)) return 'affix';
  if (INITIALS.test(word)) return 'initial';
  if (NAME_PARTICLES.has(word)) return 'particle';
  const alsoName = topLine && ALSO_NAMES.has(k);
  if ((NOT_NAME_WORDS.has(k) && !alsoName) || LOWER_CASE_CONNECTORS.has(word)) return 'other';
  const body = JOINED_PARTICLE.exec(word)?.[1] ?? word;
  if (CASELESS.test(body)) return CASELESS_TITLES.has(body) ? 'other' : 'word';
  return CAPITALISED.test(body) || PREFIXED.test(body) || CAPITALS.test(body) ? 'word' : 'other';
}

/** A word that may follow a name on its piece: a title word, a connector or a post-nominal. */
const titleWord = (word: string): boolean =>
  kind(word) === 'affix' || NOT_NAME_WORDS.has(key(word)) || LOWER_CASE_CONNECTORS.has(word);

/**
 * The name at the start of `piece`, or null. What follows the name may only be a title ("Maria Gonzalez Senior
 * Engineer") or post-nominals; anything else means the piece is a phrase, not a name.
 */
export function nameIn(piece: string, minWords: number, topLine = false): string | null {
  const tokens = piece.split(/\s+/u).filter((t) => t !== '');
  while (tokens.length > 0 && kind(tokens[0] as string) === 'affix') tokens.shift();
  let end = 0;
  while (
    end < tokens.length &&
    ['word', 'initial', 'particle'].includes(kind(tokens[end] as string, topLine))
  )
    end++;
  const run = tokens.slice(0, end);
  while (run.length > 0 && kind(run[run.length - 1] as string) === 'particle') run.pop();
  if (run.length === 0 || kind(run[0] as string) === 'particle') return null;
  const rest = tokens.slice(run.length);
  if (!rest.every(titleWord)) return null;
  const words = run.filter((t) => kind(t, topLine) === 'word').length;
  if (words < minWords || words > MAX_WORDS || run.length > MAX_WORDS + 4) return null;
  if (run.every((t) => kind(t) !== 'word')) return null; // "North West": no word that is only a name
  return trimEndOf(run.join(' '), ',;:');
}

/** Markup and bullets off; a letter-spaced line ("P R I Y A   R A M A N") with its letters joined. */
function cleanLine(line: string): string {
  const bare = trimEndOf(line.replace(/^[\s#>*_=~•·▪◦‣-]+/u, ''), `${SPACE}*_=~#`).trim();
  const letters = bare.split(/\s+/u);
  if (letters.length < 4 || !letters.every((t) => /^\p{L}\p{M}*$/u.test(t))) return bare;
  // Words are told apart by wider gaps; a line spaced evenly throughout reads as one word (and is no name).
  return bare
    .split(/\s{2,}/u)
    .map((g) => g.replace(/\s+/gu, ''))
    .join(' ');
}

/** A line that is only a section heading ("Work Experience", "EDUCATION:", "Skills & Tools"). */
export function isSectionHeading(line: string): boolean {
  const words = line
    .split(/[\s&/:|,+-]+/u)
    .map(key)
    .filter((w) => w !== '' && w !== 'and' && w !== 'me' && w !== 'my');
  return (
    words.length > 0 &&
    words.length <= 4 &&
    words.some((w) => SECTION_HEADINGS.has(w)) &&
    words.every((w) => NOT_NAME_WORDS.has(w) || SECTION_HEADINGS.has(w))
  );
}

const LABEL =
  /^(?:full[ \t]+|legal[ \t]+|first[ \t]+|last[ \t]+|given[ \t]+|family[ \t]+|candidate(?:'s)?[ \t]+|applicant(?:'s)?[ \t]+)?(?:name|surname|candidate|applicant|nombre|apellidos?|nom|prénom|vorname|nachname|nome|cognome)\b[ \t]*(?:[:|\t–—-][ \t]*|$)/iu;

/** The name after a label at the start of `line` (or on `next`, when the label stands alone); null if none. */
function labelled(line: string, next: () => string | undefined): string | null {
  const m = LABEL.exec(line);
  if (!m) return null;
  const value = line.slice(m[0].length).trim();
  // The value up to its first separator (nameIn splits on spaces, so those around it do not matter).
  if (value !== '') return nameIn(value.split(/[|,;(]/u)[0] ?? '', 1);
  // "Name" on a line of its own is a form's label only if a name follows.
  const following = next();
  return following === undefined ? null : nameIn(following, 1);
}

const DOCUMENT_TITLE =
  /^(?:curriculum[ \t]+vitae|r[ée]sum[ée]|cv|c\.v\.|bio(?:data)?)\b[ \t]*(?:of|for|[:|–—-])?[ \t]*/iu;
const TRAILING_TITLE_WORD = /(?:curriculum[ \t]+vitae|r[ée]sum[ée]|cv)$/iu;

/**
 * `line` without a document title at its end ("Maria Gonzalez - CV", "Jane Doe's Resume"). Trimmed step by step:
 * as one regex, its leading `[ \t]*(?:'s)?[ \t]*` is tried at every start in a run of spaces or tabs, and a header
 * line of 5,000 tabs took most of a minute.
 */
function withoutTrailingTitle(line: string): string {
  const trimmed = trimEndOf(line, ' \t');
  const title = TRAILING_TITLE_WORD.exec(trimmed);
  if (!title) return line;
  let rest = trimEndOf(trimmed.slice(0, title.index), ' \t');
  if (/[:|–—-]$/u.test(rest)) rest = trimEndOf(rest.slice(0, -1), ' \t');
  if (/['’]s$/iu.test(rest)) rest = trimEndOf(rest.slice(0, -2), ' \t');
  return rest;
}
const SEPARATORS = /\s*(?:[|·•▪◦,;/(){}<>\t—–]|\s-\s|\s{3,})\s*/u;
/** "GONZALEZ, Maria": a surname in capitals, a comma, given names written capitalised (not "LONDON, UK"). */
const SURNAME_FIRST =
  /^(\p{Lu}[\p{Lu}\p{M}'’-]+(?:[ \t]+\p{Lu}[\p{Lu}\p{M}'’-]+)?),[ \t]*(\p{Lu}[\p{Ll}\p{M}][^,|]*)$/u;

/** A one-word name in a script without case: two to four characters, as Chinese, Japanese and Korean names are. */
const CASELESS_NAME = /^\p{Lo}{2,4}$/u;
/** A house number and a street name: the start of an address. */
const STREET_ADDRESS = /^\d+[A-Za-z]?\s+\p{L}/u;

/**
 * A name found, the offset of the line it was found on, and where: after a label, on the resume's top line (its
 * first line with letters that is not only a document title), or lower in the header.
 */
export interface Sighting {
  name: string;
  at: number;
  source: 'label' | 'top' | 'header';
}

/** A word in lower case that would be a name word capitalised: letters, apostrophes and hyphens. */
const LOWER_WORD = /^[\p{Ll}\p{M}]+(?:['’-][\p{Ll}\p{M}]+)*$/u;

/**
 * A name written in lower case ("maria gonzalez", "maria de la cruz") at the start of `piece`, as written; null if
 * the piece is not all lower-case words or would not read as a name capitalised. For the top line only: lower in
 * the header, "berlin germany" is as likely as anything.
 */
function lowerCaseNameIn(piece: string): string | null {
  const tokens = piece.split(/\s+/u).filter((t) => t !== '');
  if (tokens.length < 2 || tokens.length > MAX_WORDS + 4) return null;
  if (!tokens.every((t) => t.length <= MAX_WORD_LENGTH && LOWER_WORD.test(t))) return null;
  const capitalised = tokens.map((t) =>
    NAME_PARTICLES.has(t) || LOWER_CASE_CONNECTORS.has(t) ? t : `${t[0]?.toUpperCase()}${t.slice(1)}`,
  );
  const name = nameIn(capitalised.join(' '), 2, true);
  return name === null ? null : tokens.slice(0, name.split(' ').length).join(' ');
}

/** The text's lines, cleaned, each with its offset. */
function linesOf(text: string): Array<{ line: string; at: number }> {
  let at = 0;
  return text.split('\n').map((raw) => {
    const entry = { line: cleanLine(raw), at };
    at += raw.length + 1;
    return entry;
  });
}

/** The names in the contact header (see the top of the file). */
function headerSightings(lines: ReadonlyArray<{ line: string; at: number }>): Sighting[] {
  const found: Sighting[] = [];
  let seen = 0;
  let topLine = true;
  for (const { line, at } of lines) {
    if (seen >= HEADER_LINES) break;
    if (!/\p{L}/u.test(line)) continue;
    if (isSectionHeading(line)) break;
    seen++;
    const surnameFirst = SURNAME_FIRST.exec(line);
    if (surnameFirst) {
      const given = nameIn(surnameFirst[2] ?? '', 1);
      if (given && nameIn(surnameFirst[1] ?? '', 1)) {
        found.push({ name: `${given} ${surnameFirst[1]}`, at, source: topLine ? 'top' : 'header' });
        topLine = false;
        continue;
      }
    }
    const untitled = withoutTrailingTitle(line.replace(DOCUMENT_TITLE, ''));
    if (untitled.trim() === '') continue; // "Curriculum Vitae" above the name: the name's line is still the top one
    // A name in a caseless script is often one word ("李小龙"): on the top line, alone, it is the name.
    if (topLine && CASELESS_NAME.test(untitled.trim()) && !CASELESS_TITLES.has(untitled.trim())) {
      found.push({ name: untitled.trim(), at, source: 'top' });
    }
    for (const piece of untitled.split(SEPARATORS)) {
      // A street address ("555 La Verne Way, La Verne, CA"): the rest of the line is its town, not a name.
      if (STREET_ADDRESS.test(piece)) break;
      if (/[\p{N}@]|:\/\/|www\./u.test(piece)) continue;
      const name = nameIn(piece, 2, topLine) ?? (topLine ? lowerCaseNameIn(piece) : null);
      if (name) found.push({ name, at, source: topLine ? 'top' : 'header' });
    }
    topLine = false;
  }
  return found;
}

/** Names given after a label anywhere in the text. */
function labelSightings(lines: ReadonlyArray<{ line: string; at: number }>): Sighting[] {
  const found: Sighting[] = [];
  lines.forEach(({ line, at }, i) => {
    const name = labelled(line, () => lines.slice(i + 1, i + 4).find((l) => l.line !== '')?.line);
    if (name) found.push({ name, at, source: 'label' });
  });
  return found;
}

/** Every place the resume names its writer: after a label, or in its contact header. */
export function nameSightings(text: string): Sighting[] {
  const lines = linesOf(text);
  return [...labelSightings(lines), ...headerSightings(lines)];
}

/** Every name the resume gives its writer, each once. */
export function findCandidateNames(text: string): string[] {
  return [...new Set(nameSightings(text).map((s) => s.name))];
}
