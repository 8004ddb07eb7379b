import { z } from 'zod';
import { type Assessment, Level } from '../assessment/assessment';
import { AppError } from '../core/app-error';
import type { Screening, ScreeningStatus } from '../screening/screening';

/**
 * The human side of a screening. The AI draft (`SK = DRAFT`) is never changed by a review; the reviewer's version is
 * the final (`SK = FINAL`), stored beside it, and every save or decision is also an audit event. A level that differs
 * from the draft's needs a reason; rejecting or requesting changes needs notes that say why or what.
 */
export const ReviewDecision = z.enum(['save', 'approve', 'reject', 'request_changes']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Statuses a reviewer may act on. */
export const reviewableStatuses = [
  'drafted',
  'changes_requested',
] as const satisfies readonly ScreeningStatus[];

export const isReviewable = (status: ScreeningStatus): boolean =>
  (reviewableStatuses as readonly ScreeningStatus[]).includes(status);

const targetStatus = (decision: ReviewDecision, current: ScreeningStatus): ScreeningStatus => {
  switch (decision) {
    case 'save':
      return current;
    case 'approve':
      return 'approved';
    case 'reject':
      return 'rejected';
    case 'request_changes':
      return 'changes_requested';
  }
};

export const FinalCompetency = z.object({
  competencyId: z.string(),
  /** The AI draft's level, copied so the final reads on its own. */
  draftLevel: Level.nullable(),
  level: Level.nullable(),
  /** Why the reviewer's level differs from the draft's; required when it does. */
  reason: z.string().nullable(),
});
export type FinalCompetency = z.infer<typeof FinalCompetency>;

export const HumanFinal = z.object({
  competencies: z.array(FinalCompetency),
  notes: z.string(),
  decision: z.enum(['approved', 'rejected', 'changes_requested']).nullable(),
  reviewerId: z.string(),
  reviewedAt: z.iso.datetime(),
  /** The screening's version once this final was written. */
  screeningVersion: z.number().int().min(1),
});
export type HumanFinal = z.infer<typeof HumanFinal>;

const reasonText = z
  .string()
  .trim()
  .max(2000)
  .transform((v) => (v === '' ? null : v));

export const ReviewInput = z.object({
  /** The screening version the reviewer saw; a stale one answers 409. */
  expectedVersion: z.number().int().min(1),
  decision: ReviewDecision,
  /** Levels the reviewer set; competencies left out keep the current final's level, or the draft's. */
  levels: z
    .array(
      z.object({ competencyId: z.string().max(100), level: Level.nullable(), reason: reasonText.nullable() }),
    )
    .max(100)
    .default([]),
  notes: z.string().trim().max(10_000).default(''),
});
export type ReviewInput = z.infer<typeof ReviewInput>;

export interface ReviewOutcome {
  final: HumanFinal;
  from: ScreeningStatus;
  to: ScreeningStatus;
  /** For the audit event: what changed, before and after. */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Applies a reviewer's input to the draft and the current final. Pure: the caller writes the outcome, conditional on
 * `input.expectedVersion`. Throws a 400 naming the field for a level changed without a reason, an unknown competency,
 * or a rejection or change request without notes; a 409 when the screening is not open for review.
 */
export function applyReview(
  screening: Screening,
  draft: Assessment,
  current: HumanFinal | null,
  input: ReviewInput,
  reviewerId: string,
  now: Date,
): ReviewOutcome {
  if (!isReviewable(screening.status)) {
    throw new AppError(
      'conflict',
      'not_reviewable',
      `This screening is ${screening.status}; only drafted screenings or those with changes requested can be reviewed.`,
      { details: { status: screening.status, version: screening.version } },
    );
  }
  const known = new Set(draft.competencies.map((c) => c.competencyId));
  const given = new Map<string, ReviewInput['levels'][number]>();
  for (const entry of input.levels) {
    if (!known.has(entry.competencyId)) {
      throw new AppError(
        'bad_request',
        'unknown_competency',
        `No competency ${entry.competencyId} in this draft.`,
        {
          details: { field: `levels.${entry.competencyId}` },
        },
      );
    }
    given.set(entry.competencyId, entry);
  }
  const previous = new Map((current?.competencies ?? []).map((c) => [c.competencyId, c]));
  const competencies: FinalCompetency[] = draft.competencies.map((c) => {
    const entry = given.get(c.competencyId);
    const kept = previous.get(c.competencyId);
    const level = entry ? entry.level : (kept?.level ?? c.level);
    const reason = entry ? entry.reason : (kept?.reason ?? null);
    if (level !== c.level && !reason) {
      throw new AppError(
        'bad_request',
        'reason_required',
        `Changing ${c.name} from ${describeLevel(c.level)} to ${describeLevel(level)} needs a reason.`,
        { details: { field: `levels.${c.competencyId}.reason`, competencyId: c.competencyId } },
      );
    }
    return { competencyId: c.competencyId, draftLevel: c.level, level, reason };
  });
  if ((input.decision === 'reject' || input.decision === 'request_changes') && input.notes === '') {
    throw new AppError(
      'bad_request',
      'notes_required',
      input.decision === 'reject'
        ? 'Rejecting needs notes that say why.'
        : 'Requesting changes needs notes that say what is needed.',
      { details: { field: 'notes' } },
    );
  }
  const to = targetStatus(input.decision, screening.status);
  const final: HumanFinal = {
    competencies,
    notes: input.notes,
    decision: to === 'approved' || to === 'rejected' || to === 'changes_requested' ? to : null,
    reviewerId,
    reviewedAt: now.toISOString(),
    screeningVersion: screening.version + 1,
  };
  return {
    final,
    from: screening.status,
    to,
    // `receivedAt` is context (it does not change): the velocity dashboard reads time-to-decision from the trail.
    before: {
      ...summarise(screening.status, screening.version, current, draft),
      receivedAt: screening.receivedAt,
    },
    after: { ...summarise(to, final.screeningVersion, final, draft), receivedAt: screening.receivedAt },
  };
}

/** The state an audit event records: status, version, each level (and its reason where it differs), notes. */
function summarise(
  status: ScreeningStatus,
  version: number,
  final: HumanFinal | null,
  draft: Assessment,
): Record<string, unknown> {
  const levels = Object.fromEntries(
    (final?.competencies ?? draft.competencies.map((c) => ({ ...c, reason: null }))).map((c) => [
      c.competencyId,
      c.reason ? { level: c.level, reason: c.reason } : { level: c.level },
    ]),
  );
  return { status, version, levels, notes: final?.notes ?? '' };
}

export const levelLabels = ['none', 'exposure', 'working', 'senior', 'expert'] as const;

export const describeLevel = (level: number | null): string =>
  level === null ? 'insufficient evidence' : `${level} (${levelLabels[level] ?? '?'})`;
