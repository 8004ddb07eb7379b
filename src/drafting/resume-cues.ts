import type { Segment } from './text-segments';

/**
 * Resume-reading heuristics for the offline drafter: who owned the work, whether a line is a bare list of skills,
 * how many years are claimed and when the work happened. Deliberately simple and deterministic: no clock, no
 * locale, nothing that makes two runs on the same text differ.
 */

/** Verbs that say the candidate owned the work rather than took part in it. */
const OWNERSHIP_VERB =
  /\b(?:led|leading|designed|architected|re-?architected|redesigned|owned|owner\s+of|built|shipped|launched|scaled|mentored|drove|spearheaded|founded|established|headed|championed|authored)\b/iu;

/**
 * Verbs that describe work done; a line without any of them that reads like a list is a list of skills. Only the
 * -ing forms that are rarely nouns: "error handling", "model serving" and "profiling" are skills, not work.
 */
const ACTION_WORDS = [
  'led|lead(?:s|ing)?|plann(?:ed|ing)|design(?:s|ed|ing)|architect(?:ed|ing)|owned|built|build(?:s|ing)|scaled',
  'mentor(?:ed|ing)|drove|wr(?:ote|itten|iting)|implement(?:s|ed|ing)|develop(?:s|ed|ing)|creat(?:ed|ing)',
  'maintain(?:s|ed|ing)|reduc(?:ed|ing)|improv(?:ed|ing)|optimi[sz]ed|migrat(?:ed|ing)|deploy(?:s|ed|ing)',
  'integrat(?:ed|ing)|used|using|fix(?:ed|ing)|added|refactored|automat(?:ed|ing)|shipp(?:ed|ing)',
  'deliver(?:ed|ing)|profiled|tuned|cut|launch(?:ed|ing)|ran|running|managed|introduc(?:ed|ing)',
  'replac(?:ed|ing)|rewr(?:ote|iting)|configured|instrumented|contribut(?:ed|ing)|establish(?:ed|ing)',
  'processed|handled|served|debugged|diagnosed|remov(?:ed|ing)|moved|extracted|eliminated|trained',
  'work(?:ed|ing)|operated|supported|wired|split',
];
const ACTION_VERB = new RegExp(`\\b(?:${ACTION_WORDS.join('|')})\\b`, 'iu');

const SKILLS_HEADER =
  /^(?:[-*•·]\s*)?(?:technical\s+|core\s+|key\s+)?(?:skills|technologies|tech(?:nology)?(?:\s+stack)?|stack|tools|toolkit|languages|frameworks|databases|platforms|proficienc(?:y|ies)|competenc(?:y|ies)|expertise|keywords|libraries)\b[^:\n]{0,30}:/iu;
const LIST_SEPARATOR = /[,;|•·]/u;
/** Items of a list of skills are short: "PostgreSQL", "Django REST Framework", "Python (asyncio". */
const MAX_WORDS_PER_LIST_ITEM = 4;

/** Learning rather than work: the level-1 anchors ("names them in coursework") say what such a line is worth. */
const COURSEWORK =
  /\b(?:course\s+projects?|coursework|online\s+courses?|tutorials?|bootcamp|(?:university|college|school|class|capstone|student)\s+(?:modules?|projects?|courses?|assignments?)|homework|MOOCs?|udemy|coursera|hackathons?)\b/iu;

const YEARS = /\b(\d{1,2})\+?\s*(?:years?|yrs?)\b(?!\s+old)/iu;
const DATE_RANGE =
  /\b((?:19|20)\d{2})\s*(?:-|–|—|to|until)\s*((?:19|20)\d{2}|present|current|now|today)\b/giu;

export const isCoursework = (text: string): boolean => COURSEWORK.test(text);

export const hasOwnershipVerb = (text: string): boolean => OWNERSHIP_VERB.test(text);

/** A "Skills:" line, or a comma-separated list, that describes no work. */
export function isBareSkillsList(text: string): boolean {
  if (ACTION_VERB.test(text)) return false;
  if (SKILLS_HEADER.test(text)) return true;
  const items = text.split(LIST_SEPARATOR).filter((item) => item.trim() !== '');
  return (
    items.length >= 3 && items.every((item) => item.trim().split(/\s+/u).length <= MAX_WORDS_PER_LIST_ITEM)
  );
}

/** The largest "N years" claim on the given lines and the lines next to them, verbatim ("6+ years"). */
export function yearsClaimNear(lines: readonly Segment[], lineIndexes: Iterable<number>): string | null {
  let best: { n: number; text: string } | null = null;
  for (const i of lineIndexes) {
    for (const j of [i - 1, i, i + 1]) {
      const m = lines[j] ? YEARS.exec(lines[j].text) : null;
      if (m?.[1] && (best === null || Number(m[1]) > best.n)) best = { n: Number(m[1]), text: m[0] };
    }
  }
  return best?.text ?? null;
}

export interface DateRange {
  from: number;
  /** `null` for an open range ("2021 - present"). */
  to: number | null;
  text: string;
}

function rangesOn(text: string): DateRange[] {
  return [...text.matchAll(DATE_RANGE)].map((m) => {
    const to = Number(m[2]);
    return { from: Number(m[1]), to: Number.isNaN(to) ? null : to, text: m[0] };
  });
}

/** The latest year any date range in the resume reaches: the reference point for "recent", instead of a clock. */
export function latestYear(lines: readonly Segment[]): number | null {
  let latest: number | null = null;
  for (const line of lines) {
    for (const r of rangesOn(line.text)) latest = Math.max(latest ?? 0, r.to ?? r.from);
  }
  return latest;
}

/** The date range of the role a line sits in: on the line itself or the nearest one up to `lookBack` lines above. */
export function roleDatesFor(lines: readonly Segment[], lineIndex: number, lookBack = 8): DateRange | null {
  for (let i = lineIndex; i >= Math.max(0, lineIndex - lookBack); i--) {
    const line = lines[i];
    const found = line ? rangesOn(line.text) : [];
    if (found.length > 0) return found[found.length - 1] ?? null;
  }
  return null;
}

/** A short, plain note on how recent the work behind the evidence is, or `null` when no dates are near it. */
export function recencyNote(lines: readonly Segment[], lineIndexes: Iterable<number>): string | null {
  let newest: DateRange | null = null;
  for (const i of lineIndexes) {
    const r = roleDatesFor(lines, i);
    if (
      r &&
      (newest === null || (r.to ?? Number.POSITIVE_INFINITY) > (newest.to ?? Number.POSITIVE_INFINITY))
    ) {
      newest = r;
    }
  }
  if (newest === null) return null;
  if (newest.to === null) return `the most recent evidence is in a current role (${newest.text})`;
  const gap = (latestYear(lines) ?? newest.to) - newest.to;
  if (gap >= 4)
    return `the most recent evidence is in a role that ended ${gap} years before the latest date on the resume (${newest.text})`;
  return `the most recent evidence is in a role dated ${newest.text}`;
}
