import { type AssessedCompetency, Assessment, type Flag, type TokenUsage } from '../assessment/assessment';
import { type GroundingSource, groundDraft } from '../assessment/grounding';
import type { DraftResult } from '../drafting/drafter';
import { checkOutput } from '../drafting/output-checks';
import { completePlan } from '../drafting/plan-completion';
import { costOf } from '../drafting/prices';
import { aggregateSamples } from '../drafting/samples';
import type { HiddenSpan } from '../extraction/hidden-span';
import { templateInstructions } from '../prompting/build-messages';
import type { CodeText } from '../safety/code-text';
import { type PreparedMaterial, prepareMaterial } from '../safety/prepare-material';
import type { KnownPii } from '../safety/redact';
import { type DraftSource, type Obtained, obtainDrafts } from './obtain-drafts';
import type { StatusReason } from './screening';

/**
 * From a candidate's material to a grounded assessment, without the table: prepare the material (hidden text out,
 * injections withheld, blind-screening redaction and leak check), obtain the drafts (cache, samples, fallback),
 * check their prose, ground every quote, aggregate the samples, complete the interview plan, and record what it
 * cost. The same for a resume's text and a take-home's rendered code (`code` says where its files are); the worker
 * (process-screening.ts) and `npm run eval` both run exactly this.
 */
export interface DraftInput {
  orgId: string;
  screeningId: string;
  text: string;
  hidden: readonly HiddenSpan[];
  candidate: KnownPii;
  blindScreening: boolean;
  /** A take-home: the layout of its rendered files (src/takehome/material.ts). */
  code?: CodeText;
  /** An admin's re-queue: drafted anew, past the draft cache, and said so in the provenance. */
  redraft?: { requestedBy: string; requestedAt: string };
}

export type DraftOutcome =
  | { ok: true; assessment: Assessment; stats: { quotes: number; verified: number } }
  | { ok: false; reason: StatusReason };

export async function draftAssessment(source: DraftSource, input: DraftInput): Promise<DraftOutcome> {
  const started = Date.now();
  const preparation = prepareMaterial({
    text: input.text,
    hidden: input.hidden,
    candidate: input.candidate,
    blindScreening: input.blindScreening,
    ...(input.code ? { code: input.code } : {}),
  });
  if (!preparation.ok) {
    return { ok: false, reason: { code: preparation.code, message: preparation.message, retryable: false } };
  }
  const got = await obtainDrafts(source, input.orgId, input.screeningId, preparation.prepared, {
    bypassCache: input.redraft !== undefined,
  });
  if (!got.ok) return got;
  return assemble(source, input, preparation.prepared, got.obtained, started);
}

const sumUsage = (results: readonly DraftResult[]): TokenUsage =>
  results.reduce(
    (sum, r) => ({
      promptTokens: sum.promptTokens + r.usage.promptTokens,
      cachedPromptTokens: sum.cachedPromptTokens + r.usage.cachedPromptTokens,
      completionTokens: sum.completionTokens + r.usage.completionTokens,
      totalTokens: sum.totalTokens + r.usage.totalTokens,
    }),
    { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, totalTokens: 0 },
  );

/** The sample whose levels are closest to the aggregate: its prose is the one shown. */
function closestSample(
  levels: Array<number | null>,
  samples: ReadonlyArray<{ competencies: AssessedCompetency[] }>,
) {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  samples.forEach((s, i) => {
    const distance = s.competencies.reduce((d, c, j) => {
      const target = levels[j] ?? null;
      if (c.level === target) return d;
      return d + (c.level === null || target === null ? 2 : Math.abs(c.level - target));
    }, 0);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

function assemble(
  source: DraftSource,
  input: DraftInput,
  prepared: PreparedMaterial,
  obtained: Obtained,
  started: number,
): DraftOutcome {
  const { rubric, template, drafting } = source;
  const groundingSource: GroundingSource = {
    material: prepared.material,
    injections: prepared.injections,
    hidden: input.hidden,
    ...(input.code ? { code: input.code } : {}),
  };
  const instructions = templateInstructions(template);
  const flags: Flag[] = [];
  const first = obtained.results[0] as DraftResult;
  if (first.drafter === 'offline') {
    flags.push({
      code: 'offline_drafter',
      severity: 'info',
      message: input.code
        ? 'Drafted by the offline rules drafter (no LLM): take-home rubric signals and static signals in the code.'
        : 'Drafted by the offline rules drafter (no LLM): rubric signals matched in the text.',
      competencyId: null,
      span: null,
    });
  }
  flags.push(...obtained.flags, ...prepared.flags);

  const checked = obtained.results.map((r) =>
    checkOutput(r.draft, { instructions, material: prepared.material.text }),
  );
  const seenNotes = new Set<string>();
  for (const r of obtained.results) {
    for (const note of r.notes ?? []) {
      if (seenNotes.has(note.code)) continue;
      seenNotes.add(note.code);
      flags.push({
        code: note.code,
        severity: 'info',
        message: note.message,
        competencyId: null,
        span: null,
      });
    }
  }
  for (const c of checked)
    flags.push(
      ...c.flags.filter((f) => !flags.some((g) => g.code === f.code && g.competencyId === f.competencyId)),
    );

  const grounded = checked.map((c) => groundDraft(c.draft, groundingSource, rubric));
  const aggregated = aggregateSamples(grounded, drafting.unstableSpread);
  flags.push(...aggregated.flags);
  const chosen =
    checked[
      closestSample(
        aggregated.competencies.map((c) => c.level),
        grounded,
      )
    ]?.draft ?? first.draft;
  const plan = completePlan(chosen.interviewPlan, aggregated.competencies, rubric);
  flags.push(...plan.flags);

  // Instruction-like text was found: whatever the draft says, a person looks before anyone advances.
  const injected = flags.some((f) => f.code === 'injection_attempt' || f.code === 'injected_evidence');
  const recommendation = injected && chosen.recommendation === 'advance' ? 'hold' : chosen.recommendation;
  const concerns = injected
    ? [
        ...chosen.concerns,
        'The material contains instruction-like text aimed at the screening model (see flags).',
      ]
    : chosen.concerns;

  const usage = sumUsage(obtained.results);
  const free = first.drafter === 'offline' || obtained.cache !== null;
  // An endpoint that reports no usage leaves the cost unknown: null, not a price computed from zeros.
  const usageReported = obtained.results.every((r) => r.usageReported !== false);
  const stats = grounded.reduce(
    (s, g) => ({ quotes: s.quotes + g.stats.quotes, verified: s.verified + g.stats.verified }),
    { quotes: 0, verified: 0 },
  );
  const assessment = Assessment.parse({
    ...chosen,
    recommendation,
    concerns,
    schemaVersion: 1,
    competencies: aggregated.competencies,
    interviewPlan: plan.plan,
    flags,
    provenance: {
      drafter: first.drafter,
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      rubricHash: rubric.hash,
      promptId: template.id,
      promptVersion: template.version,
      promptHash: first.promptHash,
      model: first.model,
      temperature: first.temperature,
      samples: obtained.results.length,
      samplesRequested: obtained.requested,
      usage,
      costUsd: free ? 0 : usageReported ? costOf(drafting.prices, first.model, usage) : null,
      durationMs: Date.now() - started,
      createdAt: source.now().toISOString(),
      requestHash: first.requestHash ?? null,
      materialHash: prepared.materialHash,
      cache: obtained.cache,
      ...(input.redraft ? { cacheBypass: { reason: 'requeued', ...input.redraft } } : {}),
      blindScreening: { enabled: input.blindScreening, redactions: prepared.redactions },
      ...(first.structuredOutput ? { structuredOutput: first.structuredOutput } : {}),
      ...(first.drafter === 'llm' && obtained.cache === null ? { usageReported } : {}),
    },
  });
  return { ok: true, assessment, stats };
}
