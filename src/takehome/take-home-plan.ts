import type { InterviewPlan, Recommendation, Seniority } from '../assessment/assessment';
import type { CompetencyOutcome, RedFlagHit } from '../drafting/offline-plan';
import type { StaticReport } from './static-signals';

/**
 * The offline take-home draft's words: summary, strengths, concerns and an interview plan that talks about the code.
 * The thresholds behind levels, seniority and the recommendation live with the rules (`offline-take-home.ts`,
 * `offline-plan.ts`); this file only says what they found.
 */

const LABELS = ['none', 'exposure', 'working', 'senior', 'expert'] as const;

export function takeHomeSummary(
  outcomes: readonly CompetencyOutcome[],
  report: StaticReport,
  seniority: Seniority | null,
  recommendation: Recommendation,
): string {
  const evidenced = outcomes.filter((o) => o.level !== null);
  const strong = evidenced.filter((o) => (o.level ?? 0) >= 3).map((o) => o.competency.name);
  const coverage =
    report.typing.coverage === null
      ? 'no source functions'
      : `${Math.round(report.typing.coverage * 100)}% of functions annotated`;
  return [
    `Offline rules draft of a take-home (no language model was used): ${report.python.files} Python files, ${report.tests.functions} tests, ${coverage}; ${evidenced.length} of ${outcomes.length} competencies show in the code.`,
    strong.length > 0
      ? `At senior level or above: ${strong.join(', ')}.`
      : 'No competency reaches the senior anchor on the rules alone.',
    seniority === null
      ? 'Too little evidence to estimate seniority.'
      : `The levels suggest ${seniority} seniority.`,
    `Advisory recommendation: ${recommendation}; a reviewer decides.`,
  ].join(' ');
}

export function takeHomeStrengths(outcomes: readonly CompetencyOutcome[]): string[] {
  return outcomes
    .filter((o) => o.level !== null && o.level >= 3)
    .map((o) => `${o.competency.name}: level ${o.level} (${LABELS[o.level ?? 0]}) shown in the code`);
}

export function takeHomeConcerns(
  outcomes: readonly CompetencyOutcome[],
  report: StaticReport,
  flags: readonly RedFlagHit[],
): string[] {
  const concerns = outcomes.flatMap((o) =>
    o.level !== null && o.level <= 1
      ? [`${o.competency.name}: only exposure-level code (level ${o.level})`]
      : [],
  );
  for (const signal of report.signals.filter((s) => s.concern)) {
    const where = signal.examples.map((e) => `${e.path}:${e.line}`).join(', ');
    concerns.push(`${signal.label}: ${signal.count} (${where})`);
  }
  if (report.tests.functions === 0) concerns.push('No tests in the submission');
  else if (report.tests.untested.length > 0)
    concerns.push(`No test imports ${report.tests.untested.join(', ')}`);
  for (const hit of flags) concerns.push(`Red flag (${hit.competency.name}): ${hit.flag.description}`);
  return concerns;
}

export function takeHomeInterviewPlan(
  outcomes: readonly CompetencyOutcome[],
  report: StaticReport,
): InterviewPlan {
  const weakest = [...outcomes]
    .map((o, index) => ({ o, index }))
    .sort((a, b) => (a.o.level ?? -1) - (b.o.level ?? -1) || a.index - b.index)
    .slice(0, 5)
    .map(({ o }) => o);
  const concern = report.signals.find((s) => s.concern);
  return {
    technicalScreen: weakest.map((o) => ({
      competencyId: o.competency.id,
      question:
        o.level === null
          ? `The submission shows little ${o.competency.name.toLowerCase()}. If this service went to production, what would you add, and how would you test it?`
          : `Walk us through the ${o.competency.name.toLowerCase()} choices in your submission: what did you trade off, and what would change at ten times the load?`,
      lookFor: `Senior answer: ${o.competency.levels[3]?.anchor ?? o.competency.description}`,
    })),
    systemDesign: {
      prompt:
        'Take your submission to production for a thousand partners and fifty thousand events a second: what changes in ingestion, storage, failure handling and observability, and in what order?',
      focus: [
        'back-pressure and bounded concurrency',
        'idempotency and replay',
        'query shapes and indexes at scale',
        ...(concern ? [`the ${concern.label} the review found`] : []),
      ],
    },
    cultureFocus: [
      'Scoping: what they chose to leave out of the take-home and why.',
      'Written communication: how the README and comments explain their decisions.',
      'Review: how they would want this code reviewed, and what they would change after feedback.',
    ],
  };
}
