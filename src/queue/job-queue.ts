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
  /**
   * Whether the job still waits in this queue, undelivered. Only a queue that can know answers (the in-process one):
   * the sweep then leaves a screening that is merely behind a long backlog alone, rather than count it as lost.
   */
  holds?(job: ScreeningJob): boolean;
}

export type JobHandler = (job: ScreeningJob) => Promise<void>;
