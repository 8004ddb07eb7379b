import type { CodeText } from './code-text';
import { findKnownLeaks, type Leak } from './leak-check';
import type { Edit } from './material';
import { findContactPii } from './pii-patterns';
import {
  escapeRegex,
  foldDiacritics,
  type KnownPii,
  knownValueEdits,
  matchEdits,
  nameParts,
  PLACEHOLDERS,
} from './redact';

/**
 * Blind screening for code. A take-home names its author in a few known places: the project metadata (pyproject
 * `authors`/`maintainers`, setup.py and setup.cfg `author`/`author_email`/`maintainer`, `__author__`, `__email__` and
 * the like in modules), copyright lines, git-style `Author:`/`Co-authored-by:`/`Signed-off-by:` lines and "Written
 * by" notes in comments, docstrings and docs. Those values are redacted where they stand; then every name and email
 * found there, with the candidate's name and email from the upload, is redacted wherever else it appears, file paths
 * included (an archive's folder is often named after its author: `ada_lovelace_takehome/`). Emails and profile links
 * are redacted anywhere. The resume's patterns for phones, ages or "gender:" are not used here: in code they would
 * read identifiers, numbers and model fields as people.
 */
export interface CodePeople {
  names: string[];
  emails: string[];
}

interface Value {
  start: number;
  end: number;
  kind: 'name' | 'email';
  /** Whether the value names a person the rest of the material should be searched for. */
  person: boolean;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** A name written in prose: one to four capitalised words or initials, particles allowed between them. */
const PERSON =
  /\p{Lu}(?:[\p{L}\p{M}'’-]*[\p{L}\p{M}]|\.)?(?:[ \t]+(?:(?:van|von|de|der|den|da|di|del|du|la|le|bin|ibn|al)[ \t]+)?\p{Lu}(?:[\p{L}\p{M}'’-]*[\p{L}\p{M}]|\.)?){0,3}/uy;
/** Words that make a credit an organisation's or a project's, not a person's. */
const NOT_PERSON = new Set(
  'the a an all rights reserved authors contributors team inc ltd llc plc corp corporation company co gmbh ag sa bv project foundation developers maintainers group labs lab software systems university org organisation organization community'.split(
    ' ',
  ),
);

/** "Author: Ada Lovelace <ada@example.com>", "Co-authored-by: ...", "@author Ada", ":author: Ada", "Written by Ada". */
const AUTHOR_LINE =
  /^[ \t]*(?:[#*>/"'`_-]+[ \t]*)*(?:@author\b|:(?:author|maintainer|contact):|(?:co-authored-by|signed-off-by|reviewed-by|authors?|maintainers?|contact|credits)[ \t]*:|(?:created|written|maintained|developed|authored)[ \t]+by\b)(?<value>[^\n]{1,200})$/gimu;
/** "Copyright (c) 2021-2024 Ada Lovelace", "© 2024 Ada Lovelace". */
const COPYRIGHT =
  /(?:\bcopyright\b|©)[ \t]*(?:\(c\)|©)?[ \t]*(?:\d{4}(?:[ \t]*[-–,][ \t]*\d{4})*)?[ \t,]*(?<value>[^\n]{1,160})/giu;
const PYPROJECT_PEOPLE = /^[ \t]*(?:authors|maintainers)[ \t]*=[ \t]*\[/gm;
const STRING = /"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'/g;
const SETUP_PY_FIELD = /\b(?:author|maintainer)(?:_email)?[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')/g;
const CFG_FIELD = /^[ \t]*(?:author|maintainer)(?:_email)?[ \t]*[=:][ \t]*([^\n]*[^\s])/gim;
const DUNDER =
  /^[ \t]*__(?:author|authors|email|maintainer|credits|contact)__[ \t]*(?::[^=\n]*)?=([^\n]*)$/gm;

/** Shared mailboxes say nothing about a person, and their local parts ("info", "dev") are everywhere in code. */
const GENERIC_LOCAL =
  /^(?:info|admin|contact|hello|hi|dev|developers?|support|team|noreply|no-reply|mail|office|jobs|security|maintainers?)$/iu;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1).toLowerCase();
const letters = (text: string): number => [...text].filter((c) => /\p{L}/u.test(c)).length;

/** The person named at the start of a free-text credit, as offsets inside `value`; `null` if none. */
function personIn(value: string): { start: number; end: number } | null {
  const lead = /^[\s*_:~,-]*(?:by\s+)?/iu.exec(value)?.[0].length ?? 0;
  PERSON.lastIndex = lead;
  const m = PERSON.exec(value);
  if (!m) return null;
  const words = m[0].split(/[ \t]+/u);
  if (words.some((w) => NOT_PERSON.has(w.toLowerCase().replace(/\.$/u, '')))) return null;
  if (!words.some((w) => letters(w) >= 2)) return null;
  return { start: lead, end: lead + m[0].length };
}

/** A structured field's value (`"Ada Lovelace <ada@example.com>"`, `ada@example.com`): the name before any address. */
function structuredValue(at: number, value: string, out: Value[]): void {
  const trimmed = value.trim();
  if (trimmed === '') return;
  const lead = value.indexOf(trimmed);
  if (new RegExp(`^${EMAIL.source}$`, 'u').test(trimmed)) {
    out.push({ start: at + lead, end: at + lead + trimmed.length, kind: 'email', person: false });
    return;
  }
  const cut = trimmed.search(/[<(]/u);
  const name = (cut < 0 ? trimmed : trimmed.slice(0, cut)).trim();
  if (letters(name) < 2) return;
  const words = name.split(/\s+/u);
  const person = words.length <= 4 && !words.some((w) => NOT_PERSON.has(w.toLowerCase()));
  out.push({ start: at + lead, end: at + lead + name.length, kind: 'name', person });
}

function freeText(prose: string, offset: number, out: Value[]): void {
  for (const re of [AUTHOR_LINE, COPYRIGHT]) {
    for (const m of prose.matchAll(re)) {
      const value = m.groups?.value ?? '';
      const found = personIn(value);
      if (!found) continue;
      const at = offset + m.index + m[0].length - value.length;
      out.push({ start: at + found.start, end: at + found.end, kind: 'name', person: true });
    }
  }
}

/** The closing `]` of the array whose `[` is at `open`, skipping strings; bounded, as a TOML array of people is small. */
function arrayEnd(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < Math.min(text.length, open + 4000); i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return Math.min(text.length, open + 4000);
}

/** The metadata fields that name people, by the file they are in; `body` is the file's own text. */
function structured(path: string, body: string, offset: number, out: Value[]): void {
  const name = basename(path);
  const strings = (from: number, to: number) => {
    for (const m of body.slice(from, to).matchAll(STRING)) {
      // A quoted key of an inline table (`{ "name" = ... }`) is not a value.
      if (/^\s*=/u.test(body.slice(from + m.index + m[0].length))) continue;
      structuredValue(offset + from + m.index + 1, m[1] ?? m[2] ?? '', out);
    }
  };
  if (name === 'pyproject.toml') {
    for (const m of body.matchAll(PYPROJECT_PEOPLE)) {
      const open = m.index + m[0].length - 1;
      strings(open, arrayEnd(body, open));
    }
  }
  if (name === 'setup.py') {
    for (const m of body.matchAll(SETUP_PY_FIELD)) {
      const value = m[1] ?? m[2] ?? '';
      structuredValue(offset + m.index + m[0].length - value.length - 1, value, out);
    }
  }
  if (/\.(?:cfg|ini)$/u.test(name)) {
    for (const m of body.matchAll(CFG_FIELD)) {
      const value = m[1] ?? '';
      structuredValue(offset + m.index + m[0].length - value.length, value, out);
    }
  }
  if (/\.pyi?$/u.test(name)) {
    for (const m of body.matchAll(DUNDER)) {
      const start = m.index + m[0].length - (m[1] ?? '').length;
      strings(start, m.index + m[0].length);
    }
  }
}

/** Where the candidate is named in the rendered take-home, block by block. */
function namedValues(text: string, code: CodeText): Value[] {
  const out: Value[] = [];
  for (const block of code.blocks) {
    structured(block.path, text.slice(block.start, block.end), block.start, out);
    freeText(code.prose.slice(block.start, block.end), block.start, out);
  }
  return out;
}

/** A full name in any case, its parts joined by nothing, a space, a dot, a hyphen or an underscore: `ada_lovelace`. */
function joinedNameEdits(text: string, names: readonly string[]): Edit[] {
  const folded = foldDiacritics(text);
  const edits: Edit[] = [];
  for (const name of names) {
    const parts = nameParts(name).map((p) => foldDiacritics(p));
    if (parts.length < 2 || parts.join('').length < 6) continue;
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}])${parts.map(escapeRegex).join('[\\s._-]?')}(?![\\p{L}\\p{N}])`,
      'giu',
    );
    edits.push(...matchEdits(folded, re, 'name'));
  }
  return edits;
}

export function codeRedactionEdits(
  text: string,
  code: CodeText,
  known: KnownPii,
): { edits: Edit[]; people: CodePeople } {
  const values = namedValues(text, code);
  const names = new Set<string>(known.name ? [known.name] : []);
  const emails = new Set<string>(known.email ? [known.email] : []);
  const addEmail = (email: string) => {
    if (!GENERIC_LOCAL.test(email.split('@')[0] ?? '')) emails.add(email);
  };
  const edits: Edit[] = values.map((v) => ({
    kind: v.kind,
    start: v.start,
    end: v.end,
    replacement: PLACEHOLDERS[v.kind],
  }));
  for (const v of values) {
    const value = text.slice(v.start, v.end);
    if (v.kind === 'name' && v.person) names.add(value);
    for (const m of value.matchAll(EMAIL)) addEmail(m[0]);
  }
  // Addresses in a name field's surroundings ("Ada <ada@example.com>") are found by the contact patterns below.
  for (const hit of findContactPii(text)) {
    edits.push({ ...hit, replacement: PLACEHOLDERS[hit.kind] });
    if (hit.kind === 'email' && values.some((v) => v.start <= hit.end + 2 && hit.start <= v.end + 2)) {
      addEmail(text.slice(hit.start, hit.end));
    }
  }
  const people = { names: [...names], emails: [...emails] };
  edits.push(...knownValueEdits(text, people.names, people.emails), ...joinedNameEdits(text, people.names));
  return { edits, people };
}

/** The `<file>` blocks of the text about to be sent, with the offsets of their bodies. */
function sentBlocks(sent: string): Array<{ path: string; start: number; body: string }> {
  const block = /^<file path="([^"]*)" lines="\d+-\d+" role="\w+">\n([\s\S]*?)\n<\/file>$/gm;
  return [...sent.matchAll(block)].map((m) => ({
    path: m[1] ?? '',
    start: m.index + m[0].indexOf('\n') + 1,
    body: m[2] ?? '',
  }));
}

/**
 * The last look at a take-home about to be sent, read apart from the redactor: the known names (each part, and the
 * whole name as a letters-only skeleton in any case) and emails searched on normalised text, the contact patterns
 * again, the credits read again in the prose of what is sent (`sentProse`: the sent text with code blanked), and the
 * metadata fields read again in the blocks parsed back out of the sent text. Any finding stops the draft.
 */
export function findCodeLeaks(sent: string, sentProse: string, people: CodePeople): Leak[] {
  const leaks: Leak[] = findKnownLeaks(sent, people.names, people.emails);
  for (const hit of findContactPii(sent)) leaks.push({ kind: hit.kind, at: hit.start });
  const credits: Value[] = [];
  freeText(sentProse, 0, credits);
  for (const block of sentBlocks(sent)) structured(block.path, block.body, block.start, credits);
  for (const v of credits) {
    // What is left once the placeholders are taken out must not name anyone.
    const rest = sent.slice(v.start, v.end).replace(/\[(?:NAME|EMAIL|PROFILE LINK)\]/gu, '');
    if (letters(rest) >= 2) leaks.push({ kind: v.kind, at: v.start });
  }
  return leaks;
}
