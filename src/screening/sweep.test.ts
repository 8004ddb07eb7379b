import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { newId } from '../core/ids';
import { createLogger } from '../core/logger';
import { InProcessQueue } from '../queue/in-process-queue';
import type { JobQueue, ScreeningJob } from '../queue/job-queue';
import type { Screening } from './screening';
import { type SweepOptions, sweepStuckScreenings } from './sweep';

// The sweep against DynamoDB Local: candidates come from the sparse status index, the re-send marks and the final
// `failed: job_lost` are conditional writes. The queue records what was sent (or refuses, like a throttled SQS).
// A table per test: the sweep reads every organisation of its table, and the summaries count them all.
let t: TestServices;
beforeEach(async () => {
  t = await createTestServices({ startWorker: false });
});
afterEach(() => t.close());

const T0 = new Date('2026-11-29T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

class RecordingQueue implements JobQueue {
  sent: ScreeningJob[] = [];
  failing = false;
  async enqueue(job: ScreeningJob): Promise<void> {
    if (this.failing) throw new Error('RequestThrottled');
    this.sent.push(job);
  }
}

async function seedQueued(orgId: string, updatedAt: Date): Promise<Screening> {
  const screening: Screening = {
    id: newId('scr'),
    orgId,
    kind: 'resume',
    candidateId: newId('cand'),
    status: 'queued',
    statusReason: null,
    version: 1,
    candidate: { name: 'Ada', email: null, externalId: null, position: null },
    rubricId: 'senior-python-backend',
    source: 'upload',
    createdBy: 'usr_test',
    receivedAt: updatedAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    attempts: 0,
    leaseExpiresAt: null,
    submissionIds: [],
  };
  await t.services.screenings.create(screening, []);
  return screening;
}

function sweeper() {
  const queue = new RecordingQueue();
  const services = { screenings: t.services.screenings, queue, logger: createLogger('silent') };
  const sweep = (now: Date, extra: Partial<SweepOptions> = {}) =>
    sweepStuckScreenings(services, { now, queuedForMs: 3 * 60_000, maxResends: 3, ...extra });
  return { queue, sweep, sentFor: (id: string) => queue.sent.filter((j) => j.screeningId === id).length };
}

describe('the sweep', () => {
  it('re-sends a queued screening only once it has waited past the threshold, then backs off', async () => {
    const { orgId } = await t.newOrg();
    const lost = await seedQueued(orgId, T0);
    const { sweep, sentFor } = sweeper();

    expect((await sweep(at(2))).requeued).toBe(0);
    expect(sentFor(lost.id)).toBe(0);

    const first = await sweep(at(3));
    expect(first).toMatchObject({ requeued: 1, queued: 1, expired: 0, failedSends: 0, gaveUp: 0 });
    expect(sentFor(lost.id)).toBe(1);
    // Not again at every run: only once it has been stuck twice as long as at the last re-send.
    await sweep(at(4));
    await sweep(at(5));
    expect(sentFor(lost.id)).toBe(1);
    await sweep(at(6));
    expect(sentFor(lost.id)).toBe(2);
    // The screening itself is untouched: same status, same version.
    expect(await t.services.screenings.getScreening(orgId, lost.id)).toMatchObject({
      status: 'queued',
      version: 1,
    });
  });

  it('re-sends a screening whose worker’s lease ran out, and never one whose lease is live', async () => {
    const { orgId } = await t.newOrg();
    const dead = await seedQueued(orgId, T0);
    const live = await seedQueued(orgId, T0);
    await t.services.screenings.claim(orgId, dead.id, at(0), 60);
    await t.services.screenings.claim(orgId, live.id, at(0), 60);
    await t.services.screenings.renewLease(orgId, live.id, at(1).toISOString(), at(10).toISOString());
    const { sweep, sentFor } = sweeper();

    // Both leases are live at minute 0.5; at minute 2 only the renewed one is.
    expect((await sweep(new Date(T0.getTime() + 30_000))).requeued).toBe(0);
    const summary = await sweep(at(2));
    expect(summary).toMatchObject({ requeued: 1, expired: 1, queued: 0 });
    expect(sentFor(dead.id)).toBe(1);
    expect(sentFor(live.id)).toBe(0);
  });

  it('tries a send that failed again at the next run, and counts it', async () => {
    const { orgId } = await t.newOrg();
    const lost = await seedQueued(orgId, T0);
    const { queue, sweep, sentFor } = sweeper();
    queue.failing = true;
    expect(await sweep(at(3))).toMatchObject({ requeued: 0, failedSends: 1 });
    queue.failing = false;
    expect(await sweep(at(4))).toMatchObject({ requeued: 1, failedSends: 0 });
    expect(sentFor(lost.id)).toBe(1);
  });

  it('ends a screening failed: job_lost once its re-sends are used up, and sends it no more', async () => {
    const { orgId } = await t.newOrg();
    const lost = await seedQueued(orgId, T0);
    const { sweep, sentFor } = sweeper();
    let minute = 3;
    for (let i = 0; i < 3; i++) {
      expect((await sweep(at(minute))).requeued).toBe(1);
      minute *= 2;
    }
    expect(sentFor(lost.id)).toBe(3);
    expect(await sweep(at(minute))).toMatchObject({ requeued: 0, gaveUp: 1 });
    const ended = await t.services.screenings.getScreening(orgId, lost.id);
    expect(ended).toMatchObject({
      status: 'failed',
      statusReason: { code: 'job_lost', retryable: true },
      leaseExpiresAt: null,
    });
    expect(ended?.statusReason?.message).toContain('4 times');
    expect((await sweep(at(minute * 2))).requeued).toBe(0);
    expect(sentFor(lost.id)).toBe(3);
  });

  it('starts counting again when a worker takes the screening (a new version)', async () => {
    const { orgId } = await t.newOrg();
    const lost = await seedQueued(orgId, T0);
    const { sweep } = sweeper();
    await sweep(at(3));
    await sweep(at(6));
    let [candidate] = (await t.services.screenings.listWorking(orgId)).filter(
      (c) => c.screening.id === lost.id,
    );
    expect(candidate?.sweeps).toBe(2);
    await t.services.screenings.claim(orgId, lost.id, at(7), 60);
    [candidate] = (await t.services.screenings.listWorking(orgId)).filter((c) => c.screening.id === lost.id);
    expect(candidate).toMatchObject({ sweeps: 0, sweptAt: null });
  });

  it('re-sends every unheld screening at once with no threshold and no backoff (the local runtime’s start)', async () => {
    const { orgId } = await t.newOrg();
    const fresh = await seedQueued(orgId, T0);
    const { sweep, sentFor } = sweeper();
    await sweep(at(0), { queuedForMs: 0, backoff: false });
    await sweep(at(0), { queuedForMs: 0, backoff: false });
    expect(sentFor(fresh.id)).toBe(2);
  });

  it('leaves a queued screening alone while the in-process queue still holds its job (a backlog, not a loss)', async () => {
    const { orgId } = await t.newOrg();
    const waiting = await seedQueued(orgId, T0);
    const queue = new InProcessQueue({ concurrency: 1 }); // never started: everything stays pending
    await queue.enqueue({ orgId, screeningId: waiting.id });
    const services = { screenings: t.services.screenings, queue, logger: createLogger('silent') };
    const options = { now: at(60), queuedForMs: 3 * 60_000, maxResends: 3 };
    expect(await sweepStuckScreenings(services, options)).toMatchObject({ requeued: 0, gaveUp: 0 });
    expect(queue.size.pending).toBe(1);
    await queue.stop();
    // The same screening with a queue that does not hold its job (SQS, or after a restart): it is re-sent.
    const fresh = new RecordingQueue();
    const other = { ...services, queue: fresh };
    expect(await sweepStuckScreenings(other, options)).toMatchObject({ requeued: 1 });
  });
});
