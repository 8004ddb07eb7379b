import type { Services } from '../core/services';

/**
 * Sends a screening's job after the screening was written as `queued`. A send that fails (SQS throttled or down) is
 * logged, not thrown: the screening is recorded and the caller's request succeeded, and the sweep (sweep.ts) sends
 * the job again once the screening has sat in `queued` for `VETLINE_SWEEP_AFTER_SECONDS`. Answering 500 instead
 * would invite the client to upload again and make a second screening of the same file.
 */
export async function sendJob(
  services: Pick<Services, 'queue' | 'logger'>,
  orgId: string,
  screeningId: string,
): Promise<boolean> {
  try {
    await services.queue.enqueue({ orgId, screeningId });
    return true;
  } catch (error) {
    services.logger.error('job not sent; the sweep will queue the screening again', {
      orgId,
      screeningId,
      error,
    });
    return false;
  }
}
