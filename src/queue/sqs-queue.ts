import { SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { JobQueue, ScreeningJob } from './job-queue';

/** SQS delays a message by at most 15 minutes. */
export const MAX_DELAY_SECONDS = 900;

export function createSqsClient(settings: { region: string; endpoint?: string | undefined }): SQSClient {
  const config: SQSClientConfig = { region: settings.region, maxAttempts: 4 };
  if (settings.endpoint) {
    config.endpoint = settings.endpoint;
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return new SQSClient(config);
}

/** Milliseconds to SQS's whole seconds: rounded up (a delay is a "not before"), capped at SQS's 15 minutes. */
export function delaySecondsFor(delayMs: number | undefined): number {
  if (delayMs === undefined || !Number.isFinite(delayMs) || delayMs <= 0) return 0;
  return Math.min(MAX_DELAY_SECONDS, Math.ceil(delayMs / 1000));
}

/**
 * The producer half of the job queue on AWS: one SQS message per job, its body the job as JSON. The consumer is the
 * worker function (`functions/worker.ts`), subscribed with partial batch responses and a dead-letter queue.
 * The message carries ids only: no candidate material travels through the queue.
 */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: ScreeningJob, options: { delayMs?: number } = {}): Promise<void> {
    const body: ScreeningJob = { orgId: job.orgId, screeningId: job.screeningId };
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(body),
        DelaySeconds: delaySecondsFor(options.delayMs),
      }),
    );
  }
}
