import { ModelDraft } from '../assessment/assessment';
import { sha256Hex } from '../core/hash';
import type { Competency, Rubric, RubricSignal } from '../rubric/rubric';
import { draftTakeHomeOffline } from '../takehome/offline-take-home';
import { type Drafter, type DraftRequest, type DraftResult, zeroUsage } from './drafter';
import {
  type AssessedOutcome,
  competencyDrafts,
  concernsOf,
  estimateSeniority,
  interviewPlan,
  type RedFlagHit,
  recommend,
  strengthsOf,
  summarise,
} from './offline-plan';
import { hasOwnershipVerb, isBareSkillsList, isCoursework, recencyNote, yearsClaimNear } from './resume-cues';
import { quoteAround, type Segment, splitLines } from './text-segments';

/**
 * The offline drafter: the rubric's signals matched line by line against the candidate's text, with no network
 * and no randomness. It is the embedded default when no LLM is configured and the fallback when the LLM is down.
 * It never guesses: a competency without a matching signal is `null` (insufficient evidence), and it is never
 * highly confident. Every quote is a verbatim slice of the text, so grounding finds all of them.
 */

export const OFFLINE_MODEL = 'offline-rules-v1';
export const MAX_EVIDENCE_PER_COMPETENCY = 4;
/** Distinct signals that, together with an ownership verb next to a match, raise a level by one. */
export const SEVERAL_SIGNALS = 3;
/** Confidence is 0.3 + 0.15 per distinct signal, capped: the rules only see words, never the work itself. */
const CONFIDENCE_BASE = 0.3;
const CONFIDENCE_PER_SIGNAL = 0.15;
export const MAX_OFFLINE_CONFIDENCE = 0.8;
/** A bare list of skills says little about depth, however many skills it names. */
const MAX_LIST_ONLY_CONFIDENCE = 0.4;

const LABELS = ['none', 'exposure', 'working', 'senior', 'expert'] as const;
const PYTHON = /\b(?:python\d?|cpython|pypy|django|fastapi|asyncio|pytest|pydantic|sqlalchemy)\b/iu;

interface SignalHit {
  signal: RubricSignal;
  lineIndex: number;
  quote: Segment;
  /** What this one match is worth: the signal's level, discounted for a bare skills list or coursework. */
  worth: number;
  bareList: boolean;
  ownership: boolean;
}

type AssessedCompetency = AssessedOutcome;

/** The candidate's text split once into lines, with per-line facts worked out once, on first use. */
interface Material {
  source: string;
  lines: Segment[];
  bareList(lineIndex: number): boolean;
  coursework(lineIndex: number): boolean;
}

function materialOf(source: string): Material {
  const lines = splitLines(source);
  const perLine = (test: (text: string) => boolean) => {
    const cache = new Map<number, boolean>();
    return (i: number): boolean => {
      let value = cache.get(i);
      if (value === undefined) {
        value = test(lines[i]?.text ?? '');
        cache.set(i, value);
      }
      return value;
    };
  };
  return { source, lines, bareList: perLine(isBareSkillsList), coursework: perLine(isCoursework) };
}

const compiled = new Map<string, RegExp>();

/** Global so that every match on a line counts; only ever used through `matchAll`, which copies `lastIndex`. */
function regexFor(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'giu');
    compiled.set(pattern, re);
  }
  return re;
}

function* matchesOn({ source, lines }: Material, pattern: string) {
  const re = regexFor(pattern);
  for (const [lineIndex, line] of lines.entries()) {
    for (const m of line.text.matchAll(re)) {
      if (m[0].length === 0) continue;
      const start = line.start + m.index;
      yield { lineIndex, quote: quoteAround(source, line, start, start + m[0].length) };
    }
  }
}

function findHits(material: Material, competency: Competency): SignalHit[] {
  return competency.signals.flatMap((signal) =>
    [...matchesOn(material, signal.pattern)].map(({ lineIndex, quote }) => {
      const bareList = material.bareList(lineIndex);
      const coursework = material.coursework(lineIndex);
      let worth = signal.suggests;
      if (coursework) worth = 1;
      else if (bareList) worth = Math.max(1, worth - 1);
      // "Built a to-do app for a course project" is not ownership of production work.
      const ownership = !coursework && hasOwnershipVerb(quote.text);
      return { signal, lineIndex, quote, worth, bareList, ownership };
    }),
  );
}

/** Distinct quotes, strongest signal first, then in reading order. */
function strongestQuotes(hits: readonly SignalHit[]): { quote: string }[] {
  const byQuote = new Map<string, { suggests: number; start: number }>();
  for (const hit of hits) {
    const seen = byQuote.get(hit.quote.text);
    byQuote.set(hit.quote.text, {
      suggests: Math.max(seen?.suggests ?? 0, hit.worth),
      start: Math.min(seen?.start ?? hit.quote.start, hit.quote.start),
    });
  }
  return [...byQuote.entries()]
    .sort(([, a], [, b]) => b.suggests - a.suggests || a.start - b.start)
    .slice(0, MAX_EVIDENCE_PER_COMPETENCY)
    .map(([quote]) => ({ quote }));
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function assessCompetency(material: Material, competency: Competency): AssessedCompetency {
  const hits = findHits(material, competency);
  if (hits.length === 0) {
    return {
      competency,
      level: null,
      confidence: CONFIDENCE_BASE,
      rationale: `No ${competency.name} signal from the rubric matched the material, so the evidence is insufficient; the offline rules do not guess a level.`,
      evidence: [],
    };
  }

  const distinct = [...new Set(hits.map((h) => h.signal))];
  const top = Math.max(...distinct.map((s) => s.suggests));
  const worth = Math.max(...hits.map((h) => h.worth));
  const bareOnly = hits.every((h) => h.bareList);
  let level = worth;
  let adjustment = '';
  if (worth < top) {
    adjustment = bareOnly
      ? `, lowered to ${worth} because the only evidence is a bare list of skills`
      : `, counted as ${worth} because the stronger signals appear only in a skills list or coursework`;
  }
  if (distinct.length >= SEVERAL_SIGNALS && hits.some((h) => h.ownership) && worth < 4) {
    level = worth + 1;
    adjustment += `, raised to ${level} because ${distinct.length} distinct signals appear with ownership verbs`;
  }

  let confidence = Math.min(
    MAX_OFFLINE_CONFIDENCE,
    CONFIDENCE_BASE + CONFIDENCE_PER_SIGNAL * distinct.length,
  );
  if (bareOnly) confidence = Math.min(confidence, MAX_LIST_ONLY_CONFIDENCE);

  const lineIndexes = new Set(hits.map((h) => h.lineIndex));
  const years = yearsClaimNear(material.lines, lineIndexes);
  const recency = recencyNote(material.lines, lineIndexes);
  const signalWord = distinct.length === 1 ? 'signal' : 'signals';
  const sentences = [
    `Matched ${distinct.length} rubric ${signalWord} (${distinct.map((s) => s.id).join(', ')}); the strongest suggests level ${top}${adjustment}.`,
    `Level ${level} (${LABELS[level]}): ${competency.levels[level]?.anchor ?? ''}`,
  ];
  if (years) sentences.push(`The material mentions "${years}" next to this evidence.`);
  if (recency) sentences.push(`${capitalise(recency)}.`);

  return {
    competency,
    level,
    confidence: round2(confidence),
    rationale: sentences.join(' '),
    evidence: strongestQuotes(hits),
  };
}

function findRedFlags(material: Material, rubric: Rubric): RedFlagHit[] {
  return rubric.competencies.flatMap((competency) =>
    competency.redFlags.flatMap((flag) => {
      if (flag.pattern === null) return [];
      const first = matchesOn(material, flag.pattern).next();
      return first.done ? [] : [{ competency, flag, quote: first.value.quote.text }];
    }),
  );
}

/** The draft the offline rules give for `text`: a pure function of the text and the rubric. */
export function draftOffline(text: string, rubric: Rubric): ModelDraft {
  const material = materialOf(text);
  const assessed = rubric.competencies.map((c) => assessCompetency(material, c));
  const facts = { redFlags: findRedFlags(material, rubric), mentionsPython: PYTHON.test(text) };
  const seniority = estimateSeniority(assessed);
  const recommendation = recommend(assessed, facts);
  return ModelDraft.parse({
    competencies: competencyDrafts(assessed),
    summary: summarise(assessed, seniority, recommendation),
    strengths: strengthsOf(assessed),
    concerns: concernsOf(assessed, facts),
    estimatedSeniority: seniority,
    recommendation,
    interviewPlan: interviewPlan(assessed),
  });
}

/** What "the prompt" is for the offline drafter: the rules version and the exact rubric they ran against. */
export const offlinePromptHash = (rubric: Rubric): string =>
  sha256Hex(
    JSON.stringify({
      drafter: OFFLINE_MODEL,
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      rubricHash: rubric.hash,
    }),
  );

export class OfflineDrafter implements Drafter {
  readonly kind = 'offline' as const;

  async draft(request: DraftRequest, signal?: AbortSignal): Promise<DraftResult> {
    signal?.throwIfAborted();
    return {
      // A take-home rubric gets the take-home rules (code lines and static signals; src/takehome).
      draft:
        request.rubric.kind === 'take-home'
          ? draftTakeHomeOffline(request.text, request.rubric)
          : draftOffline(request.text, request.rubric),
      drafter: 'offline',
      model: OFFLINE_MODEL,
      temperature: null,
      promptHash: offlinePromptHash(request.rubric),
      usage: zeroUsage(),
      samples: 1,
    };
  }
}
