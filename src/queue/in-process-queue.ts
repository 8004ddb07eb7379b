import type { JobHandler, JobQueue, ScreeningJob } from './job-queue';

export interface InProcessQueueOptions {
  concurrency: number;
  /** Called when a handler throws: handlers record their own failures, so this is for logging. */
  onError?: (job: ScreeningJob, error: unknown) => void;
}

/**
 * A bounded-concurrency queue in memory. It keeps no state of its own worth saving: the table is the record of what is
 * unfinished, and the local runtime re-enqueues that on start and sweeps for it after (`src/local/runtime.ts`).
 */
export class InProcessQueue implements JobQueue {
  private readonly pending: ScreeningJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delayed = new Map<NodeJS.Timeout, ScreeningJob>();
  private running = 0;
  private stopped = false;
  private handler: JobHandler | null = null;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: InProcessQueueOptions) {}

  /** Starts delivering jobs to `handler`. Jobs enqueued before this wait. */
  start(handler: JobHandler): void {
    this.handler = handler;
    this.stopped = false;
    this.pump();
  }

  async enqueue(job: ScreeningJob, options: { delayMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    const delay = options.delayMs ?? 0;
    if (delay > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.delayed.delete(timer);
        this.push(job);
      }, delay);
      timer.unref();
      this.timers.add(timer);
      this.delayed.set(timer, job);
      return;
    }
    this.push(job);
  }

  private push(job: ScreeningJob): void {
    if (this.stopped) return;
    this.pending.push(job);
    this.pump();
  }

  private pump(): void {
    while (
      this.handler &&
      !this.stopped &&
      this.running < this.options.concurrency &&
      this.pending.length > 0
    ) {
      const job = this.pending.shift() as ScreeningJob;
      const handler = this.handler;
      this.running++;
      void handler(job)
        .catch((error: unknown) => this.options.onError?.(job, error))
        .finally(() => {
          this.running--;
          this.pump();
          this.notifyIdle();
        });
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.running === 0 && this.pending.length === 0 && this.timers.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves when nothing is running, pending or scheduled. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  /** Whether the job waits here, not yet handed to the handler (delayed jobs count: they are still to come). */
  holds(job: ScreeningJob): boolean {
    const same = (j: ScreeningJob) => j.orgId === job.orgId && j.screeningId === job.screeningId;
    return this.pending.some(same) || [...this.delayed.values()].some(same);
  }

  get size(): { running: number; pending: number; scheduled: number } {
    return { running: this.running, pending: this.pending.length, scheduled: this.timers.size };
  }

  /** Stops taking work; jobs not yet started are dropped (the table still says they are unfinished). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.delayed.clear();
    await new Promise<void>((resolve) => {
      if (this.running === 0) resolve();
      else this.idleWaiters.push(resolve);
    });
  }
}
