import type { Principal } from '../auth/auth-store';
import { AppError } from '../core/app-error';
import { isId } from '../core/ids';
import type { Services } from '../core/services';
import type { Screening } from '../screening/screening';
import { sendJob } from '../screening/send-job';
import { StaleScreeningError } from '../store/screening-store';
import type { AuditEvent } from './audit-event';
import { applyReview, type HumanFinal, type ReviewInput } from './review';
import type { ReviewRecord } from './review-store';

/** What the API and the pages both do with a review; they differ only in how they answer. */

export const screeningNotFound = () => new AppError('not_found', 'not_found', 'No such screening.');

/** The screening of the caller's organisation, with its review data; ids of another organisation answer 404. */
export async function loadReview(
  services: Services,
  principal: Principal,
  id: string,
): Promise<ReviewRecord> {
  if (!isId('scr', id)) throw screeningNotFound();
  const record = await services.reviews.load(principal.orgId, id);
  if (!record) throw screeningNotFound();
  return record;
}

/** Raised when a review was made from an old version: the page keeps the reviewer's input and shows what changed. */
export class StaleReviewError extends AppError {
  constructor(
    readonly current: ReviewRecord,
    cause: unknown,
  ) {
    super(
      'conflict',
      'stale_version',
      'Someone else changed this screening while you were reviewing it. Your input is kept: check their changes and send it again.',
      { cause, details: { status: current.screening.status, version: current.screening.version } },
    );
  }
}

export async function submitReview(
  services: Services,
  principal: Principal,
  id: string,
  input: ReviewInput,
): Promise<{ screening: Screening; final: HumanFinal; event: AuditEvent }> {
  const record = await loadReview(services, principal, id);
  if (!record.draft) {
    throw new AppError(
      'conflict',
      'no_draft',
      `This screening is ${record.screening.status}: there is no draft yet.`,
    );
  }
  // A version the reviewer did not see is a conflict, whatever the status now is.
  if (record.screening.version !== input.expectedVersion) {
    throw new StaleReviewError(record, null);
  }
  const now = services.now();
  const outcome = applyReview(record.screening, record.draft, record.final, input, principal.userId, now);
  try {
    const event = await services.reviews.saveReview(principal, id, outcome, input.expectedVersion, now);
    const screening = { ...record.screening, status: outcome.to, version: outcome.final.screeningVersion };
    return { screening: { ...screening, updatedAt: now.toISOString() }, final: outcome.final, event };
  } catch (error) {
    if (!(error instanceof StaleScreeningError)) throw error;
    throw new StaleReviewError((await services.reviews.load(principal.orgId, id)) ?? record, error);
  }
}

/** Admins queue a failed screening, or one with changes requested, again. */
export async function requeueScreening(
  services: Services,
  principal: Principal,
  id: string,
): Promise<Screening> {
  const { screening, final } = await loadReview(services, principal, id);
  if (screening.status !== 'failed' && screening.status !== 'changes_requested') {
    throw new AppError(
      'conflict',
      'not_failed',
      `Only failed screenings, or those with changes requested, can be queued again; this one is ${screening.status}.`,
    );
  }
  const now = services.now();
  try {
    await services.reviews.requeue(principal, screening, final, now);
  } catch (error) {
    if (!(error instanceof StaleScreeningError)) throw error;
    throw new AppError('conflict', 'stale', 'The screening changed meanwhile; reload and try again.', {
      cause: error,
    });
  }
  await sendJob(services, principal.orgId, id);
  return {
    ...screening,
    status: 'queued',
    statusReason: null,
    version: screening.version + 1,
    attempts: 0,
    leaseExpiresAt: null,
    updatedAt: now.toISOString(),
    redraft: { requestedBy: principal.userId, requestedAt: now.toISOString() },
  };
}
