/**
 * The queue port: screening jobs handed from the API to workers. Adapters: `InProcessQueue` locally and in tests,
 * SQS on AWS. Delivery is at-least-once everywhere, so job handlers are idempotent (conditional status writes).
 */
export interface ScreeningJob {
  orgId: string;
  screeningId: string;
}

export interface JobQueue {
  enqueue(job: ScreeningJob, options?: { delayMs?: number }): Promise<void>;
}

export type JobHandler = (job: ScreeningJob) => Promise<void>;
