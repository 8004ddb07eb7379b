import type { Logger } from '../core/logger';
import type { Services } from '../core/services';
import type { Screening } from './screening';

/**
 * What keeps a worker's job honest while it runs: the lease heartbeat and the deadline, both through one abort signal
 * that the drafter honours (its limiter waits, retry sleeps and the SDK's requests stop when it fires).
 *
 * - Heartbeat: a draft with samples, retries and a repair turn can outlast the lease. The worker renews the lease
 *   every third of it while it works, from the expiry it wrote last; so a screening is taken from a worker only when
 *   the worker has stopped renewing (it died), and a worker that finds its lease taken stops spending tokens at once.
 * - Deadline: on Lambda, the time the invocation has left (minus a margin). When it comes, drafting stops and the
 *   screening ends `failed` with a retryable reason, instead of being killed mid-draft and redelivered for hours.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

export interface JobControl {
  signal: AbortSignal;
  /** Ends the heartbeat and the deadline timer; call before the job's last write. */
  stop(): void;
}

export interface JobControlOptions {
  /** Epoch ms by which the job must have ended (Lambda's remaining time minus a margin); none locally. */
  deadline?: number | undefined;
  /** How often the lease is renewed; a third of the lease by default. */
  renewEveryMs?: number;
}

export function controlJob(
  services: Pick<Services, 'screenings' | 'config' | 'now'>,
  claimed: Screening,
  log: Logger,
  options: JobControlOptions = {},
): JobControl {
  const controller = new AbortController();
  const leaseMs = services.config.worker.leaseSeconds * 1000;
  const renewEveryMs = options.renewEveryMs ?? Math.max(250, Math.floor(leaseMs / 3));
  let held = claimed.leaseExpiresAt;
  let stopped = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const beat = async () => {
    if (stopped || held === null) return;
    const until = new Date(services.now().getTime() + leaseMs).toISOString();
    try {
      const renewed = await services.screenings.renewLease(claimed.orgId, claimed.id, held, until);
      if (stopped) return;
      if (renewed) held = until;
      else {
        controller.abort(new LeaseLostError('another worker holds the screening now'));
        return;
      }
    } catch (error) {
      // A renewal that could not be written is tried again next beat; the lease is three beats long.
      log.warn('lease renewal failed', { error });
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    heartbeat = setTimeout(() => void beat(), renewEveryMs);
    heartbeat.unref();
  };
  schedule();

  if (options.deadline !== undefined && Number.isFinite(options.deadline)) {
    const abortAtDeadline = () =>
      controller.abort(new DeadlineError('the worker ran out of time before the draft was finished'));
    const left = options.deadline - Date.now();
    if (left <= 0) abortAtDeadline();
    else {
      // setTimeout fires at once past 2^31-1 ms; a deadline that far away is none.
      deadline = setTimeout(abortAtDeadline, Math.min(left, 2 ** 31 - 1));
      deadline.unref();
    }
  }

  return {
    signal: controller.signal,
    stop: () => {
      stopped = true;
      clearTimeout(heartbeat);
      clearTimeout(deadline);
    },
  };
}
