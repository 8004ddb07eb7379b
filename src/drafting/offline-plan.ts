import type { InterviewPlan, Level, Recommendation, Seniority } from '../assessment/assessment';
import type { Competency, RubricRedFlag } from '../rubric/rubric';

/**
 * The offline drafter's judgement on top of per-competency levels: seniority, the advisory recommendation, the
 * summary and the interview plan. Every threshold is written down here, because a reviewer must be able to tell
 * why the rules said what they said. Advisory only: a human decides.
 */

export interface CompetencyOutcome {
  competency: Competency;
  level: Level | null;
  confidence: number;
}

/** A competency as the rules assessed it: the outcome, the rationale, and the quotes behind it. */
export interface AssessedOutcome extends CompetencyOutcome {
  rationale: string;
  evidence: { quote: string }[];
}

/** The competencies of an offline draft, as a model would write them (`ModelDraft.competencies`). */
export const competencyDrafts = (assessed: readonly AssessedOutcome[]) =>
  assessed.map((a) => ({
    competencyId: a.competency.id,
    level: a.level,
    confidence: a.confidence,
    rationale: a.rationale,
    evidence: a.evidence,
  }));

export interface RedFlagHit {
  competency: Competency;
  flag: RubricRedFlag;
  quote: string;
}

const LABELS = ['none', 'exposure', 'working', 'senior', 'expert'] as const;

/** Fewer evidenced competencies than this and the drafter does not estimate seniority. */
export const MIN_EVIDENCED_FOR_SENIORITY = 3;
/** Upper bounds (exclusive) of the mean level of evidenced competencies, per seniority. */
const SENIORITY_BOUNDS: readonly [number, Seniority][] = [
  [1.5, 'junior'],
  [2.3, 'mid'],
  [3, 'senior'],
  [3.6, 'staff'],
];

/**
 * advance: at least 6 competencies with evidence, at least 4 of them at level 3 or above, a mean level of 2.5 or
 * more, no red flag matched, and Python itself named in the material (a strong DevOps or Java resume matches many
 * backend signals). decline: fewer than 3 competencies with evidence, or a mean level below 1.5.
 * hold: everything in between.
 */
export const RECOMMENDATION_THRESHOLDS = {
  advance: { minEvidenced: 6, minSenior: 4, minMean: 2.5 },
  decline: { maxEvidenced: 2, belowMean: 1.5 },
} as const;

const evidenced = (outcomes: readonly CompetencyOutcome[]): number[] =>
  outcomes.flatMap((o) => (o.level === null ? [] : [o.level]));

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;

export function estimateSeniority(outcomes: readonly CompetencyOutcome[]): Seniority | null {
  const levels = evidenced(outcomes);
  if (levels.length < MIN_EVIDENCED_FOR_SENIORITY) return null;
  const m = mean(levels);
  return SENIORITY_BOUNDS.find(([bound]) => m < bound)?.[1] ?? 'principal';
}

export interface MaterialFacts {
  redFlags: readonly RedFlagHit[];
  /** Python, or a framework only Python has, is named somewhere in the material. */
  mentionsPython: boolean;
}

export function recommend(outcomes: readonly CompetencyOutcome[], facts: MaterialFacts): Recommendation {
  const levels = evidenced(outcomes);
  const m = mean(levels);
  const { advance, decline } = RECOMMENDATION_THRESHOLDS;
  if (levels.length <= decline.maxEvidenced || m < decline.belowMean) return 'decline';
  const senior = levels.filter((l) => l >= 3).length;
  if (
    levels.length >= advance.minEvidenced &&
    senior >= advance.minSenior &&
    m >= advance.minMean &&
    facts.redFlags.length === 0 &&
    facts.mentionsPython
  ) {
    return 'advance';
  }
  return 'hold';
}

export function strengthsOf(outcomes: readonly CompetencyOutcome[]): string[] {
  return outcomes
    .filter((o) => o.level !== null && o.level >= 3)
    .map(
      (o) => `${o.competency.name}: level ${o.level} (${LABELS[o.level ?? 0]}) from matched rubric signals`,
    );
}

export function concernsOf(outcomes: readonly CompetencyOutcome[], facts: MaterialFacts): string[] {
  const concerns = outcomes.flatMap((o) => {
    if (o.level === null)
      return [`${o.competency.name}: no evidence in the material; verify in the interview`];
    if (o.level <= 1) return [`${o.competency.name}: only exposure-level evidence (level ${o.level})`];
    return [];
  });
  if (!facts.mentionsPython && outcomes.some((o) => o.level !== null)) {
    concerns.push(
      'The material never names Python: the matched signals may describe work in another language',
    );
  }
  for (const hit of facts.redFlags) {
    concerns.push(`Red flag (${hit.competency.name}): ${hit.flag.description} Quote: "${hit.quote}"`);
  }
  return concerns;
}

export function summarise(
  outcomes: readonly CompetencyOutcome[],
  seniority: Seniority | null,
  recommendation: Recommendation,
): string {
  const levels = evidenced(outcomes);
  const strong = outcomes.filter((o) => o.level !== null && o.level >= 3).map((o) => o.competency.name);
  const missing = outcomes.filter((o) => o.level === null).map((o) => o.competency.name);
  const parts = [
    `Offline rules draft (no language model was used): ${levels.length} of ${outcomes.length} competencies have evidence in the material.`,
  ];
  if (strong.length > 0) parts.push(`At senior level or above: ${strong.join(', ')}.`);
  if (missing.length > 0) parts.push(`No evidence for: ${missing.join(', ')}.`);
  parts.push(
    seniority === null
      ? 'Too little evidence to estimate seniority.'
      : `Mean level ${mean(levels).toFixed(1)} suggests ${seniority} seniority.`,
  );
  parts.push(`Advisory recommendation: ${recommendation}; a reviewer decides.`);
  return parts.join(' ');
}

// ---- Interview plan -------------------------------------------------------------------------------------------

interface DesignExercise {
  prompt: string;
  focus: string[];
}

/** The seed's own example, and the exercise when nothing in the material points elsewhere. */
const INGESTION: DesignExercise = {
  prompt:
    'Design a large-scale ingestion pipeline: partners push 50,000 events per second by webhook and file drop; events must be validated, deduplicated and queryable in PostgreSQL and a warehouse within five minutes, and replayable after a bad deploy.',
  focus: ['partitioning and ordering', 'idempotent consumers and replay', 'backpressure and dead letters'],
};

/** Keyed by competency id of the default rubric, in order of preference when several are equally strong. */
const DESIGN_EXERCISES: Record<string, DesignExercise> = {
  'data-pipelines': INGESTION,
  'ai-integration': {
    prompt:
      'Design a real-time inference service: a retrieval-augmented assistant answering 500 requests per second at a p95 under one second, over a document corpus that changes every hour.',
    focus: [
      'embedding and index refresh',
      'batching, caching and fallbacks',
      'evaluation and cost per request',
    ],
  },
  'system-design-architecture': {
    prompt:
      'Design a multi-tenant notification platform (email, SMS, push) for 20 million users across two regions, with per-tenant rate limits and delivery tracking.',
    focus: ['fan-out and queueing', 'multi-region failover', 'tenant isolation'],
  },
  'async-concurrency': {
    prompt:
      'Design an API aggregator that fans each request out to 20 slow third-party APIs and answers within 300 ms at 5,000 requests per second.',
    focus: ['event-loop blocking and timeouts', 'backpressure and bounded concurrency', 'partial results'],
  },
  'database-optimization': {
    prompt:
      'Design the storage and query layer of an order-history API over two billion rows that must answer in 50 ms at p99 while writes continue.',
    focus: ['indexing and partitioning', 'query shape through the ORM', 'replicas and caching'],
  },
  'web-apis': {
    prompt:
      'Design a public, versioned REST API for third-party integrators, with OAuth2, per-client rate limits, outgoing webhooks and an OpenAPI contract.',
    focus: ['versioning and deprecation', 'authentication and authorisation', 'rate limiting'],
  },
  'resilience-observability': {
    prompt:
      'Design a payment-webhook processor that never loses or double-applies an event through provider outages, deploys and worker crashes, and show how you would know it is healthy.',
    focus: ['retries and idempotency', 'circuit breaking', 'SLOs, alerts and tracing'],
  },
  'data-integrity-schema-evolution': {
    prompt:
      'Design a zero-downtime migration that splits a 500-million-row customers table into accounts and profiles while the API keeps writing to it.',
    focus: ['expand and contract', 'backfill and verification', 'rollback'],
  },
};

const lowerFirst = (s: string): string =>
  /^[A-Z][a-z]/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
const anchorOf = (c: Competency, level: number): string => c.levels[level]?.anchor ?? c.description;
/** The first clause of the senior anchor: what the candidate should have done. */
const seniorClause = (c: Competency): string =>
  (anchorOf(c, 3).split(';')[0] ?? '').trim().replace(/\.$/u, '');

function statusOf(o: CompetencyOutcome): string {
  if (o.level === null) return 'the resume shows no evidence of this';
  if (o.level <= 1) return 'the resume lists this without described work';
  if (o.level === 2) return 'the resume shows working-level experience';
  return `the resume suggests level ${o.level}; confirm the depth`;
}

/** Unverified first, then weakest; ties by lower confidence, then rubric order. */
function weakestFirst(outcomes: readonly CompetencyOutcome[]): CompetencyOutcome[] {
  return outcomes
    .map((o, index) => ({ o, index }))
    .sort(
      (a, b) => (a.o.level ?? -1) - (b.o.level ?? -1) || a.o.confidence - b.o.confidence || a.index - b.index,
    )
    .map(({ o }) => o);
}

export const MAX_SCREEN_QUESTIONS = 5;

export function interviewPlan(outcomes: readonly CompetencyOutcome[]): InterviewPlan {
  const weakest = weakestFirst(outcomes).slice(0, MAX_SCREEN_QUESTIONS);
  const technicalScreen = weakest.map((o) => ({
    competencyId: o.competency.id,
    question: `${o.competency.name} (${statusOf(o)}): walk us through work where you ${lowerFirst(seniorClause(o.competency))}. What did you own, which numbers mattered, and what went wrong?`,
    lookFor: `Senior answer: ${anchorOf(o.competency, 3)} Expert answer: ${anchorOf(o.competency, 4)}`,
  }));

  // The strongest area at working level or above that has an exercise; ties go to the earlier exercise.
  let exercise = INGESTION;
  let best = 1;
  for (const [id, candidate] of Object.entries(DESIGN_EXERCISES)) {
    const level = outcomes.find((o) => o.competency.id === id)?.level ?? null;
    if (level !== null && level > best) {
      exercise = candidate;
      best = level;
    }
  }
  const probe = weakest
    .filter((o) => o.level === null)
    .slice(0, 2)
    .map((o) => `unverified: ${o.competency.name.toLowerCase()}`);

  const led = outcomes.some(
    (o) => o.competency.id === 'system-design-architecture' && o.level !== null && o.level >= 3,
  );
  return {
    technicalScreen,
    systemDesign: { prompt: exercise.prompt, focus: [...exercise.focus, ...probe] },
    cultureFocus: [
      'Ownership: an incident or a failed project they owned, and what they changed afterwards.',
      led
        ? 'Technical leadership: how they run design reviews, handle disagreement and grow other engineers.'
        : 'Collaboration: how they give and take code review and learn an unfamiliar codebase.',
      'Motivation: the technical challenge and architectural depth they want next, so an offer speaks to it.',
    ],
  };
}
