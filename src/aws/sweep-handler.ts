import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { JobQueue } from '../queue/job-queue';
import { type SweepServices, type SweepSummary, sweepStuckScreenings } from '../screening/sweep';

/** What the sweep's schedule sends the cron function (`event` in `infra/functions.ts`); anything else is ageing. */
export const SweepEvent = z.object({ job: z.literal('sweep') });

export interface SweepDeps {
  config: Config;
  screenings: SweepServices['screenings'];
  /** The Jobs queue; `null` when the function is not linked to it (the ageing schedule's function). */
  queue: JobQueue | null;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}

/**
 * The sweep on AWS, every five minutes: screenings queued for more than `VETLINE_SWEEP_AFTER_SECONDS` whose job was
 * never sent (or lost), and screenings whose worker died with the lease, are sent to the Jobs queue again
 * (`src/screening/sweep.ts`). One log line per re-sent screening (ids and statuses only) and the
 * `ScreeningsRequeued` and `ScreeningsJobLost` metrics, which stay at zero while nothing is lost.
 */
export function createSweepHandler(deps: SweepDeps) {
  const { config, logger, metrics } = deps;
  return async (_event: unknown, _context: Context): Promise<SweepSummary> => {
    if (!deps.queue) {
      throw new Error('The sweep needs the Jobs queue: link it to the cron function (infra/functions.ts).');
    }
    const summary = await sweepStuckScreenings(
      { screenings: deps.screenings, queue: deps.queue, logger },
      {
        now: deps.now?.() ?? new Date(),
        queuedForMs: config.sweep.afterSeconds * 1000,
        maxResends: config.sweep.maxResends,
      },
    );
    metrics.addMetric('ScreeningsRequeued', MetricUnit.Count, summary.requeued);
    metrics.addMetric('ScreeningsJobLost', MetricUnit.Count, summary.gaveUp);
    metrics.publishStoredMetrics();
    if (summary.failedSends > 0 || summary.gaveUp > 0)
      logger.error('sweep done; some jobs could not be sent, or were given up', { ...summary });
    else if (summary.requeued > 0)
      logger.warn('sweep done; lost or abandoned jobs were sent again', { ...summary });
    else logger.debug('sweep done; nothing stuck', { ...summary });
    return summary;
  };
}

/**
 * The cron function's handler: the sweep's schedule sends `{ job: "sweep" }`; the daily ageing schedule sends
 * EventBridge's own scheduled event. One function, so the two share a bundle and a log group.
 */
export function createCronHandler<A, S>(handlers: {
  ageing: (event: unknown, context: Context) => Promise<A>;
  sweep: (event: unknown, context: Context) => Promise<S>;
}) {
  return (event: unknown, context: Context): Promise<A | S> =>
    SweepEvent.safeParse(event).success ? handlers.sweep(event, context) : handlers.ageing(event, context);
}
