import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { createDocumentClient } from '../store/dynamo';
import { keys } from '../store/table';
import { submitResume } from './intake';
import { processScreeningJob } from './process-screening';

// The lease heartbeat and the deadline, with real workers on DynamoDB Local: a one-second lease, drafts that take
// longer than that (or never end on their own), and a second worker trying the same job meanwhile.
let t: TestServices | undefined;
afterEach(() => t?.close());

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A drafter that answers when the test says so, or stops (rejects) when the worker's signal fires. */
function heldDrafter() {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const drafter: Drafter = {
    kind: 'offline',
    draft: (request, signal) => {
      calls.push(request.screeningId);
      return new Promise((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        void released.then(() => resolve(new OfflineDrafter().draft(request)));
      });
    },
  };
  return { drafter, calls, release: () => release() };
}

async function setUp(drafter: Drafter): Promise<{ t: TestServices; org: TestOrg; id: string }> {
  t = await createTestServices({ startWorker: false, drafter, env: { VETLINE_LEASE_SECONDS: '1' } });
  const org = await t.newOrg();
  const screening = await submitResume(t.services, org.principals.recruiter, {
    bytes: new TextEncoder().encode(seniorResumeText),
    filename: 'priya.txt',
    candidate: { name: null, email: null, externalId: null, position: null },
    source: 'upload',
  });
  return { t, org, id: screening.id };
}

describe('a worker’s job control', () => {
  it('renews the lease while it drafts, so a second worker cannot take the screening after the lease length', async () => {
    const held = heldDrafter();
    const { t, org, id } = await setUp(held.drafter);
    const first = processScreeningJob(t.services, { orgId: org.orgId, screeningId: id });
    await tick(2_000); // twice the lease: without renewals it would have run out
    const before = await t.services.screenings.getScreening(org.orgId, id);
    expect(before?.status).toBe('drafting');
    expect(Date.parse(before?.leaseExpiresAt ?? '')).toBeGreaterThan(Date.now());

    await processScreeningJob(t.services, { orgId: org.orgId, screeningId: id });
    expect(held.calls).toEqual([id]); // the second worker found it held and drafted nothing

    held.release();
    await first;
    expect(await t.services.screenings.getScreening(org.orgId, id)).toMatchObject({
      status: 'drafted',
      attempts: 1,
      leaseExpiresAt: null,
    });
  });

  it('stops drafting at once when another worker has taken the screening, and writes nothing', async () => {
    const held = heldDrafter();
    const { t, org, id } = await setUp(held.drafter);
    const first = processScreeningJob(t.services, { orgId: org.orgId, screeningId: id });
    await tick(200);
    const taken = await t.services.screenings.getScreening(org.orgId, id);
    expect(taken?.status).toBe('drafting');
    // What another worker's claim writes (a new lease and version) once it believed this lease had run out.
    const db = createDocumentClient({ endpoint: t.services.config.dynamo.endpoint, region: 'us-east-1' });
    const otherLease = new Date(Date.now() + 600_000).toISOString();
    await db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: keys.screening(org.orgId, id),
        UpdateExpression: 'SET leaseExpiresAt = :l, version = version + :one',
        ExpressionAttributeValues: { ':l': otherLease, ':one': 1 },
      }),
    );
    db.destroy();
    await first; // ends without the test releasing the drafter: the heartbeat found the lease gone
    expect(await t.services.screenings.getScreening(org.orgId, id)).toMatchObject({
      status: 'drafting',
      leaseExpiresAt: otherLease,
      version: (taken?.version ?? 0) + 1,
    });
  });

  it('ends the screening failed: worker_deadline, retryable, when the deadline comes mid-draft', async () => {
    const held = heldDrafter();
    const { t, org, id } = await setUp(held.drafter);
    await processScreeningJob(
      t.services,
      { orgId: org.orgId, screeningId: id },
      { deadline: Date.now() + 300 },
    );
    expect(held.calls).toEqual([id]);
    expect(await t.services.screenings.getScreening(org.orgId, id)).toMatchObject({
      status: 'failed',
      statusReason: { code: 'worker_deadline', retryable: true },
      leaseExpiresAt: null,
    });
  });
});
