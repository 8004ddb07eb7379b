import type { Logger } from '../core/logger';
import type { JobQueue } from '../queue/job-queue';
import type { SweepCandidate } from '../store/screening-leases';
import { type ScreeningStore, StaleScreeningError } from '../store/screening-store';

/**
 * The sweep: re-sends the job of every screening that sits in a working status with nobody on it. Intake and an
 * admin's re-queue write the screening before they send its job; when the send fails (SQS throttled or down) the
 * screening would stay `queued` forever on Lambda, where nothing else looks at the table. A worker that died (killed
 * at its timeout, a crashed process) leaves a lease that runs out. The sweep finds both, per organisation, from the
 * sparse status index (never a Scan), and queues them again.
 *
 * Re-sending is safe because a claim is a conditional write: if the job was not lost after all, one of the two
 * deliveries claims the screening and the other finds it taken. To keep a long backlog (a rate-limited provider, say)
 * from growing by one duplicate per sweep, a screening is re-sent again only once it has been stuck twice as long as
 * when it was last re-sent (`sweptAt`): after 3, 6, 12, 24... minutes with the default `afterSeconds`. The re-sends
 * are bounded: a screening whose job was re-sent `maxResends` times without any worker taking it (the count starts
 * again whenever the screening moves) ends `failed: job_lost`, retryable, instead of waiting for ever. A worker that
 * keeps dying on one screening is bounded by its own attempt limit (`too_many_attempts`, process-screening.ts).
 *
 * Run by the cron function on AWS (every five minutes: `infra/functions.ts`), and by `npm start` at start (with no
 * wait and no backoff: nothing in its fresh in-process queue holds any job) and then every `intervalSeconds`.
 */
export interface SweepOptions {
  now: Date;
  /** A `queued` screening untouched this long has probably lost its job (`VETLINE_SWEEP_AFTER_SECONDS`). */
  queuedForMs: number;
  /** Re-send a screening again only after it has doubled its stuck time since the last re-send (default on). */
  backoff?: boolean;
  /** Re-sends of one screening's job (with nobody taking it) before it ends `failed: job_lost`. */
  maxResends: number;
}

export interface SweepSummary {
  organisations: number;
  /** Jobs sent again. */
  requeued: number;
  /** ... of which for `queued` screenings, and for working ones whose lease had run out. */
  queued: number;
  expired: number;
  /** Sends that failed again: the next sweep tries them again. */
  failedSends: number;
  /** Screenings ended `failed: job_lost` because their re-sends were used up. */
  gaveUp: number;
}

export interface SweepServices {
  screenings: Pick<ScreeningStore, 'listOrgIds' | 'listWorking' | 'markSwept' | 'transition'>;
  queue: JobQueue;
  logger: Logger;
}

/** Since when the screening has had nobody on it, or `null` while it is held (or not stuck long enough). */
export function stuckSince(candidate: SweepCandidate, options: SweepOptions): number | null {
  const { screening } = candidate;
  const now = options.now.getTime();
  if (screening.status === 'queued') {
    const since = Date.parse(screening.updatedAt);
    return now - since >= options.queuedForMs ? since : null;
  }
  const lease = screening.leaseExpiresAt ? Date.parse(screening.leaseExpiresAt) : null;
  if (lease !== null && lease > now) return null;
  return lease ?? Date.parse(screening.updatedAt);
}

/** Whether to re-send now: stuck, and (with backoff) stuck twice as long as when the sweep last re-sent it. */
export function isDue(candidate: SweepCandidate, options: SweepOptions): boolean {
  const since = stuckSince(candidate, options);
  if (since === null) return false;
  if (options.backoff === false || candidate.sweptAt === null) return true;
  const swept = Date.parse(candidate.sweptAt);
  // A mark from before the screening last moved belongs to an earlier episode: it does not count.
  if (swept < since) return true;
  const step = Math.max(swept - since, options.queuedForMs, 1);
  return options.now.getTime() - since >= 2 * step;
}

export async function sweepStuckScreenings(
  services: SweepServices,
  options: SweepOptions,
): Promise<SweepSummary> {
  const { screenings, queue, logger } = services;
  const summary: SweepSummary = {
    organisations: 0,
    requeued: 0,
    queued: 0,
    expired: 0,
    failedSends: 0,
    gaveUp: 0,
  };
  for (const orgId of await screenings.listOrgIds()) {
    summary.organisations++;
    for (const candidate of await screenings.listWorking(orgId)) {
      if (!isDue(candidate, options)) continue;
      const { screening } = candidate;
      // Behind a long local backlog, not lost: the in-process queue still holds its job.
      if (queue.holds?.({ orgId, screeningId: screening.id })) continue;
      const fields = {
        orgId,
        screeningId: screening.id,
        status: screening.status,
        stuckSeconds: Math.round(
          (options.now.getTime() - (stuckSince(candidate, options) ?? options.now.getTime())) / 1000,
        ),
      };
      if (candidate.sweeps >= options.maxResends) {
        if (await giveUp(screenings, candidate, options)) {
          summary.gaveUp++;
          logger.error('sweep gave up on a screening whose job no worker took', {
            ...fields,
            sweeps: candidate.sweeps,
          });
        }
        continue;
      }
      try {
        await queue.enqueue({ orgId, screeningId: screening.id });
      } catch (error) {
        summary.failedSends++;
        logger.error('sweep could not send a job; the next sweep tries again', { ...fields, error });
        continue;
      }
      summary.requeued++;
      if (screening.status === 'queued') summary.queued++;
      else summary.expired++;
      logger.info('screening queued again by the sweep', fields);
      try {
        await screenings.markSwept(screening, options.now, candidate.sweeps + 1);
      } catch (error) {
        // Without the mark the next sweep may send it once more: harmless, the claim is conditional.
        logger.warn('sweep could not mark a re-sent job', { ...fields, error });
      }
    }
  }
  return summary;
}

/** Ends a screening whose re-sends are used up; `false` when it moved on meanwhile (a worker took it after all). */
async function giveUp(
  screenings: SweepServices['screenings'],
  candidate: SweepCandidate,
  options: SweepOptions,
): Promise<boolean> {
  const { screening } = candidate;
  try {
    await screenings.transition(screening.orgId, screening.id, {
      from: [screening.status],
      to: 'failed',
      expectedVersion: screening.version,
      now: options.now,
      reason: {
        code: 'job_lost',
        message:
          `Its job was sent to the queue ${candidate.sweeps + 1} times and no worker took it. The upload is ` +
          'kept: queue it again once the queue and workers are healthy.',
        retryable: true,
      },
      set: { leaseExpiresAt: null },
    });
    return true;
  } catch (error) {
    if (error instanceof StaleScreeningError) return false;
    throw error;
  }
}
