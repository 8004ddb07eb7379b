import { type Level, ModelDraft } from '../assessment/assessment';
import {
  type AssessedOutcome,
  competencyDrafts,
  estimateSeniority,
  type RedFlagHit,
  recommend,
} from '../drafting/offline-plan';
import type { Competency, Rubric, RubricSignal } from '../rubric/rubric';
import { type Chunk, parseMaterial } from './material';
import type { SelectedFile } from './select-files';
import { analyse, MAX_LINE_CHARS, type StaticReport } from './static-signals';
import {
  takeHomeConcerns,
  takeHomeInterviewPlan,
  takeHomeStrengths,
  takeHomeSummary,
} from './take-home-plan';

/**
 * The offline drafter's take-home rules: the take-home rubric's signals matched line by line against the code the
 * material shows (docs are context, never evidence), and the static signals recomputed from the same code to adjust
 * a level where the numbers say more than a line can (tests, typing, concerns). Every quote is a whole line of a
 * file block, so grounding finds all of them. Deterministic; never highly confident.
 */

const MAX_EVIDENCE = 4;
const MIN_QUOTE_CHARS = 12;
const CONFIDENCE_BASE = 0.3;
const CONFIDENCE_PER_SIGNAL = 0.1;
const MAX_CONFIDENCE = 0.75;
/** Distinct signals at this count, with the strongest at senior level or above, raise a level by one. */
const BREADTH_SIGNALS = 4;

interface Hit {
  signal: RubricSignal;
  quote: string;
}

type Assessed = AssessedOutcome;

function hitsFor(competency: Competency, chunks: readonly Chunk[]): Hit[] {
  const hits: Hit[] = [];
  for (const signal of competency.signals) {
    const re = new RegExp(signal.pattern, 'iu');
    for (const chunk of chunks) {
      if (chunk.role === 'docs') continue;
      for (const line of chunk.text.split('\n')) {
        const quote = line.trim();
        if (quote.length < MIN_QUOTE_CHARS || line.length > MAX_LINE_CHARS) continue;
        if (re.test(line)) hits.push({ signal, quote });
      }
    }
  }
  return hits;
}

/** Where the static numbers bound a level: concerns cap it, a tested and typed codebase lifts code quality. */
function adjust(competency: Competency, level: Level, report: StaticReport): { level: Level; why: string[] } {
  const concern = (id: string) => report.signals.find((s) => s.id === id && s.concern);
  const why: string[] = [];
  let out = level;
  const cap = (max: Level, reason: string) => {
    if (out > max) {
      out = max;
      why.push(reason);
    }
  };
  if (competency.id === 'async-concurrency' && concern('blocking-in-async')) {
    cap(2, `capped at 2: ${concern('blocking-in-async')?.count} blocking call(s) inside coroutines`);
  }
  if (competency.id === 'resilience-observability') {
    const swallowed = concern('bare-except');
    if (swallowed) cap(2, `capped at 2: ${swallowed.count} bare except clause(s)`);
  }
  if (competency.id === 'database-optimization' && concern('sql-formatting')) {
    cap(2, 'capped at 2: SQL built with string formatting');
  }
  if (competency.id === 'code-quality') {
    const { typing, tests } = report;
    if (tests.functions === 0) cap(1, 'capped at 1: no tests');
    else if (out < 3 && (typing.coverage ?? 0) >= 0.8 && typing.checker && tests.functions >= 3) {
      out = 3;
      why.push(
        `raised to 3: ${Math.round((typing.coverage ?? 0) * 100)}% of functions annotated, ${typing.checker} configured, ${tests.functions} tests`,
      );
    }
  }
  return { level: out, why };
}

function assess(competency: Competency, chunks: readonly Chunk[], report: StaticReport): Assessed {
  const hits = hitsFor(competency, chunks);
  if (hits.length === 0) {
    return {
      competency,
      level: null,
      confidence: 0.2,
      rationale: `No ${competency.name} signal from the rubric matched the code shown, so the evidence is insufficient; the offline rules do not guess a level.`,
      evidence: [],
    };
  }
  const distinct = [...new Set(hits.map((h) => h.signal))];
  const top = Math.max(...distinct.map((s) => s.suggests)) as Level;
  let level = top;
  const notes: string[] = [];
  if (distinct.length === 1 && top >= 3) {
    level = 2;
    notes.push('counted as 2: one signal alone shows working use, not the trade-offs around it');
  } else if (distinct.length >= BREADTH_SIGNALS && top >= 3 && top < 4) {
    level = (top + 1) as Level;
    notes.push(`raised to ${level}: ${distinct.length} distinct signals`);
  }
  const adjusted = adjust(competency, level, report);
  level = adjusted.level;
  notes.push(...adjusted.why);
  const strongest = [...distinct].sort((a, b) => b.suggests - a.suggests);
  const evidence = strongest
    .map((signal) => hits.find((h) => h.signal === signal)?.quote)
    .filter((q): q is string => q !== undefined)
    .filter((q, i, all) => all.indexOf(q) === i)
    .slice(0, MAX_EVIDENCE)
    .map((quote) => ({ quote }));
  const sentences = [
    `Matched ${distinct.length} rubric signal${distinct.length === 1 ? '' : 's'} in the code (${distinct.map((s) => s.id).join(', ')}); the strongest suggests level ${top}${notes.length > 0 ? `, ${notes.join('; ')}` : ''}.`,
    `Level ${level}: ${competency.levels[level]?.anchor ?? ''}`,
  ];
  return {
    competency,
    level,
    confidence:
      Math.round(Math.min(MAX_CONFIDENCE, CONFIDENCE_BASE + CONFIDENCE_PER_SIGNAL * distinct.length) * 100) /
      100,
    rationale: sentences.join(' '),
    evidence,
  };
}

function redFlags(rubric: Rubric, chunks: readonly Chunk[]): RedFlagHit[] {
  return rubric.competencies.flatMap((competency) =>
    competency.redFlags.flatMap((flag) => {
      if (flag.pattern === null) return [];
      const re = new RegExp(flag.pattern, 'iu');
      for (const chunk of chunks) {
        if (chunk.role === 'docs') continue;
        const line = chunk.text.split('\n').find((l) => re.test(l));
        if (line) return [{ competency, flag, quote: line.trim() }];
      }
      return [];
    }),
  );
}

/** The take-home draft the offline rules give for a material built by `buildMaterial`. */
export function draftTakeHomeOffline(material: string, rubric: Rubric): ModelDraft {
  const chunks = parseMaterial(material);
  const files: SelectedFile[] = chunks.map((c) => ({
    path: c.path,
    role: c.role,
    content: c.text,
    lines: c.text.split('\n').length,
    bytes: c.text.length,
  }));
  const report = analyse(files);
  const assessed = rubric.competencies.map((c) => assess(c, chunks, report));
  const flags = redFlags(rubric, chunks);
  const facts = { redFlags: flags, mentionsPython: report.python.files > 0 };
  const seniority = estimateSeniority(assessed);
  const recommendation = recommend(assessed, facts);
  return ModelDraft.parse({
    competencies: competencyDrafts(assessed),
    summary: takeHomeSummary(assessed, report, seniority, recommendation),
    strengths: takeHomeStrengths(assessed),
    concerns: takeHomeConcerns(assessed, report, flags),
    estimatedSeniority: seniority,
    recommendation,
    interviewPlan: takeHomeInterviewPlan(assessed, report),
  });
}
