import { afterAll, describe, expect, inject, it } from 'vitest';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { loadConfig } from '../core/config';
import { createLogger } from '../core/logger';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { submitResume } from '../screening/intake';
import { processScreeningJob } from '../screening/process-screening';
import type { ScreeningStatus } from '../screening/screening';
import { type LocalRuntime, startLocalRuntime } from './runtime';

// `npm start` starting beside another worker on the same table (the CLI drafting, say): it takes what was queued and
// what a dead worker left (its lease ran out), and never a screening another live process holds and renews.
let t: TestServices;
let runtime: LocalRuntime | undefined;
afterAll(async () => {
  await runtime?.stop();
  await t?.close();
});

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the local runtime at start', () => {
  it('resumes queued and abandoned work, and leaves work another live process holds alone', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const otherProcess: Drafter = {
      kind: 'offline',
      draft: async (request) => {
        await released;
        return new OfflineDrafter().draft(request);
      },
    };
    t = await createTestServices({
      startWorker: false,
      drafter: otherProcess,
      env: { VETLINE_LEASE_SECONDS: '2' },
    });
    const org = await t.newOrg();
    const submit = async (name: string) =>
      (
        await submitResume(t.services, org.principals.recruiter, {
          bytes: new TextEncoder().encode(`${seniorResumeText}\n${name}\n`),
          filename: `${name}.txt`,
          candidate: { name: null, email: null, externalId: null, position: null },
          source: 'upload',
        })
      ).id;
    const queued = await submit('queued'); // its job sat in an in-process queue that is gone
    const abandoned = await submit('abandoned');
    const inFlight = await submit('in-flight');
    // A worker that died ten seconds ago: its two-second lease ran out long since.
    await t.services.screenings.claim(org.orgId, abandoned, new Date(Date.now() - 10_000), 2);
    // A live worker in another process, drafting and renewing its lease.
    const other = processScreeningJob(t.services, { orgId: org.orgId, screeningId: inFlight });
    await tick(300);
    expect((await t.services.screenings.getScreening(org.orgId, inFlight))?.status).toBe('drafting');

    const drafted: string[] = [];
    runtime = await startLocalRuntime(
      loadConfig({
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        DYNAMODB_TABLE: t.tableName,
        VETLINE_DATA_DIR: t.dataDir,
        VETLINE_LEASE_SECONDS: '2',
        VETLINE_SWEEP_INTERVAL_SECONDS: '1',
        LOG_LEVEL: 'silent',
      }),
      {
        logger: createLogger('silent'),
        drafter: {
          kind: 'offline',
          draft: (request, signal) => {
            drafted.push(request.screeningId);
            return new OfflineDrafter().draft(request, signal);
          },
        },
      },
    );
    expect(runtime.resumed).toBe(2);

    const statusOf = async (id: string): Promise<ScreeningStatus | undefined> =>
      (await t.services.screenings.getScreening(org.orgId, id))?.status;
    for (
      let i = 0;
      i < 100 && ((await statusOf(queued)) !== 'drafted' || (await statusOf(abandoned)) !== 'drafted');
      i++
    )
      await tick(50);
    expect(await statusOf(queued)).toBe('drafted');
    expect(await statusOf(abandoned)).toBe('drafted');

    // Longer than the lease, with the runtime sweeping every second: the live lease is renewed, never taken.
    await tick(3_000);
    expect(drafted).not.toContain(inFlight);
    expect(await statusOf(inFlight)).toBe('drafting');

    release();
    await other;
    expect(await t.services.screenings.getScreening(org.orgId, inFlight)).toMatchObject({
      status: 'drafted',
      attempts: 1,
    });
    expect(drafted).not.toContain(inFlight);
  });
});
