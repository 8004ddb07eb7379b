import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScreeningStatus } from '../../src/screening/screening';
import { createDocumentClient } from '../../src/store/dynamo';
import { keys } from '../../src/store/table';
import { type FakeAshby, type FakeLever, startFakeAshby, startFakeLever } from '../support/fake-ats-servers';
import { seniorResumeText } from '../support/resumes';
import {
  ashbyHeaders,
  ashbySubmit,
  greenhouseApplication,
  greenhouseHeaders,
  type HarnessOrg,
  leverDelivery,
  secret,
  startWebhookHarness,
  type WebhookHarness,
} from '../support/webhooks';

// Duplicate deliveries arriving at once, over real HTTP: ten copies of one delivery, ten deliveries of one
// application, and a process that died mid-delivery. Each must end in exactly one screening and one drafter call.
let h: WebhookHarness;
let lever: FakeLever;
let ashby: FakeAshby;
let org: HarnessOrg;
const keysByVendor = { greenhouse: secret(), lever: secret(), ashby: secret() };
const apiKey = 'concurrency-api-key-0123';
const resumeBytes = new TextEncoder().encode(seniorResumeText);
const db = () => createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' });

beforeAll(async () => {
  h = await startWebhookHarness();
  lever = await startFakeLever(apiKey);
  ashby = await startFakeAshby(apiKey);
  org = await h.newOrg();
  const hosts = ['127.0.0.1'];
  for (const res of [
    await org.configure('greenhouse', {
      webhookSecret: keysByVendor.greenhouse,
      allowedDownloadHosts: hosts,
    }),
    await org.configure('lever', {
      webhookSecret: keysByVendor.lever,
      apiKey,
      apiBaseUrl: `${lever.baseUrl}/v1`,
      allowedDownloadHosts: hosts,
    }),
    await org.configure('ashby', {
      webhookSecret: keysByVendor.ashby,
      apiKey,
      apiBaseUrl: ashby.baseUrl,
      allowedDownloadHosts: hosts,
    }),
  ]) {
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await h?.close();
  await lever?.close();
  await ashby?.close();
});

type Answer = { outcome: string; screeningId: string };

async function sendAll(vendor: string, copies: Array<{ body: string; headers: Record<string, string> }>) {
  const responses = await Promise.all(copies.map((c) => org.deliver(vendor, c.body, c.headers)));
  return Promise.all(responses.map(async (r) => ({ status: r.status, body: (await r.json()) as Answer })));
}

/** Every screening of the organisation whose external id names this ATS application, in any status. */
async function screeningsFor(externalId: string): Promise<string[]> {
  const { screenings } = h.server.runtime.services;
  const found: string[] = [];
  for (const status of ScreeningStatus.options) {
    const page = await screenings.listByStatus(org.orgId, status, { limit: 100 });
    found.push(...page.items.filter((s) => s.candidate.externalId === externalId).map((s) => s.id));
  }
  return found;
}

async function settle(): Promise<void> {
  await h.server.runtime.queue.idle();
}

function expectOneScreening(answers: Array<{ status: number; body: Answer }>): string {
  expect(answers.map((a) => a.status)).toEqual(Array(answers.length).fill(200));
  const ids = new Set(answers.map((a) => a.body.screeningId));
  expect(ids.size).toBe(1);
  expect(answers.filter((a) => a.body.outcome === 'screened')).toHaveLength(1);
  expect(answers.filter((a) => a.body.outcome === 'duplicate')).toHaveLength(answers.length - 1);
  return [...ids][0] ?? '';
}

describe('ten copies of one delivery at once', () => {
  it('Greenhouse: one download, one screening, one drafter call; all ten answered 200 with its id', async () => {
    const applicationId = 90_001;
    const url = h.files.file('/concurrent/gh.txt', resumeBytes, 'text/plain');
    const body = JSON.stringify(greenhouseApplication({ applicationId, resumeUrl: url }));
    const headers = greenhouseHeaders(keysByVendor.greenhouse, body, 'evt-concurrent');
    await settle();
    const drafted = h.drafter.calls;
    const answers = await sendAll(
      'greenhouse',
      Array.from({ length: 10 }, () => ({ body, headers })),
    );
    const id = expectOneScreening(answers);
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(h.files.hits('/concurrent/gh.txt')).toBe(1);
    expect(await screeningsFor(`greenhouse:application:${applicationId}`)).toEqual([id]);
  });

  it('Lever: one opportunity read, one resume list and one download, one screening, one drafter call', async () => {
    const opportunityId = randomUUID();
    lever.setOpportunity(opportunityId, { name: 'Priya Raman', emails: ['priya@example.com'] });
    lever.setResumes(opportunityId, [{ id: 'r1', name: 'ada.txt', createdAt: 1, bytes: resumeBytes }]);
    const body = leverDelivery(keysByVendor.lever, { opportunityId });
    await settle();
    const drafted = h.drafter.calls;
    const answers = await sendAll(
      'lever',
      Array.from({ length: 10 }, () => ({ body, headers: {} })),
    );
    const id = expectOneScreening(answers);
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(lever.calls.filter((c) => c.path.includes(opportunityId))).toHaveLength(3);
    expect(await screeningsFor(`lever:opportunity:${opportunityId}`)).toEqual([id]);
  });

  it('Ashby: one candidate.info, one file.info, one screening, one drafter call', async () => {
    const candidateId = randomUUID();
    const applicationId = randomUUID();
    const url = h.files.file('/concurrent/ashby.txt', resumeBytes, 'text/plain');
    ashby.setCandidate(candidateId, { handle: `h-${candidateId}`, name: 'ada.txt', url });
    const body = JSON.stringify(ashbySubmit({ webhookActionId: randomUUID(), applicationId, candidateId }));
    await settle();
    const drafted = h.drafter.calls;
    const answers = await sendAll(
      'ashby',
      Array.from({ length: 10 }, () => ({ body, headers: ashbyHeaders(keysByVendor.ashby, body) })),
    );
    const id = expectOneScreening(answers);
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(h.files.hits('/concurrent/ashby.txt')).toBe(1);
    expect(await screeningsFor(`ashby:application:${applicationId}`)).toEqual([id]);
  });
});

describe('one application under ten delivery ids at once', () => {
  it('Greenhouse resending an application under new event ids screens it once', async () => {
    const applicationId = 90_002;
    const url = h.files.file('/concurrent/gh-resent.txt', resumeBytes, 'text/plain');
    const body = JSON.stringify(greenhouseApplication({ applicationId, resumeUrl: url }));
    await settle();
    const drafted = h.drafter.calls;
    const answers = await sendAll(
      'greenhouse',
      Array.from({ length: 10 }, (_, i) => ({
        body,
        headers: greenhouseHeaders(keysByVendor.greenhouse, body, `evt-resent-${i}`),
      })),
    );
    const id = expectOneScreening(answers);
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(h.files.hits('/concurrent/gh-resent.txt')).toBe(1);
    expect(await screeningsFor(`greenhouse:application:${applicationId}`)).toEqual([id]);
  });
});

describe('a process that died mid-delivery', () => {
  const table = () => h.server.runtime.services.config.dynamo.table;

  /** Puts a record back to `processing` with a lease that ran out a minute ago, as a dead process leaves it. */
  async function expireLease(key: { PK: string; SK: string }): Promise<void> {
    const client = db();
    try {
      await client.send(
        new UpdateCommand({
          TableName: table(),
          Key: key,
          UpdateExpression: 'SET #s = :p, leaseUntil = :past',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':p': 'processing', ':past': Date.now() - 60_000 },
        }),
      );
    } finally {
      client.destroy();
    }
  }

  it('after creating the screening but before recording it: the retry adopts that screening, never makes a second', async () => {
    const applicationId = 90_003;
    const url = h.files.file('/crash/after.txt', resumeBytes, 'text/plain');
    const body = JSON.stringify(greenhouseApplication({ applicationId, resumeUrl: url }));
    const headers = greenhouseHeaders(keysByVendor.greenhouse, body, 'evt-crash-after');
    const first = await org.deliver('greenhouse', body, headers);
    const { screeningId } = (await first.json()) as Answer;
    await settle();
    const drafted = h.drafter.calls;

    await expireLease(keys.webhookDelivery(org.orgId, 'greenhouse', 'evt-crash-after'));
    await expireLease(keys.webhookApplication(org.orgId, 'greenhouse', String(applicationId)));
    const retried = await Promise.all(
      Array.from({ length: 3 }, () => org.deliver('greenhouse', body, headers)),
    );
    const answers = await Promise.all(
      retried.map(async (r) => ({ status: r.status, body: (await r.json()) as Answer })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.screeningId))).toEqual(new Set([screeningId]));
    await settle();
    expect(h.drafter.calls).toBe(drafted);
    expect(h.files.hits('/crash/after.txt')).toBe(1);
    expect(await screeningsFor(`greenhouse:application:${applicationId}`)).toEqual([screeningId]);
  });

  it('before creating the screening: the retry takes the delivery over and screens it once', async () => {
    const applicationId = 90_004;
    const url = h.files.file('/crash/before.txt', resumeBytes, 'text/plain');
    const body = JSON.stringify(greenhouseApplication({ applicationId, resumeUrl: url }));
    const headers = greenhouseHeaders(keysByVendor.greenhouse, body, 'evt-crash-before');
    // The dead process had claimed both records (so a fresh copy must wait for, or take over, its lease).
    const store = h.server.runtime.services.webhookDeliveries;
    const now = new Date(Date.now() - 5 * 60_000);
    const expires = Math.floor(Date.now() / 1000) + 3600;
    await store.claimDelivery(
      { orgId: org.orgId, vendor: 'greenhouse', deliveryId: 'evt-crash-before' },
      {
        event: 'new_candidate_application',
        applicationId: String(applicationId),
        now,
        leaseMs: 1_000,
        expiresAt: expires,
      },
    );
    await store.claimApplication(
      { orgId: org.orgId, vendor: 'greenhouse', applicationId: String(applicationId) },
      {
        holder: 'evt-crash-before',
        plannedScreeningId: 'scr_01JZZZZZZZZZZZZZZZZZZZZZZZ',
        mustExist: false,
        now,
        leaseMs: 1_000,
        expiresAt: expires,
      },
    );
    await settle();
    const drafted = h.drafter.calls;
    const answers = await sendAll(
      'greenhouse',
      Array.from({ length: 5 }, () => ({ body, headers })),
    );
    const id = expectOneScreening(answers);
    expect(id).toBe('scr_01JZZZZZZZZZZZZZZZZZZZZZZZ'); // the id the application was given at its first claim
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(await screeningsFor(`greenhouse:application:${applicationId}`)).toEqual([id]);
    expect(await org.delivery('greenhouse', 'evt-crash-before')).toMatchObject({
      attempts: 2,
      outcome: 'screened',
    });
  });

  it('when our own storage fails: 503 and a retryable record; the retry takes the delivery over and screens once', async () => {
    const other = await h.newOrg();
    const key = secret();
    await other.configure('greenhouse', { webhookSecret: key, allowedDownloadHosts: ['127.0.0.1'] });
    // A file where the organisation's blob folder must go: every blob write for it fails, as a full disk would.
    const blocker = path.join(h.server.runtime.services.config.dataDir, 'blobs', other.orgId, 'submissions');
    await mkdir(path.dirname(blocker), { recursive: true });
    await writeFile(blocker, 'not a folder');
    const applicationId = 90_005;
    const url = h.files.file('/crash/storage.txt', resumeBytes, 'text/plain');
    const body = JSON.stringify(greenhouseApplication({ applicationId, resumeUrl: url }));
    const headers = greenhouseHeaders(key, body, 'evt-storage');

    const failed = await other.deliver('greenhouse', body, headers);
    expect(failed.status).toBe(503);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('processing_failed');
    expect(await other.delivery('greenhouse', 'evt-storage')).toMatchObject({
      status: 'retryable',
      httpStatus: 503,
    });

    await rm(blocker);
    await settle();
    const drafted = h.drafter.calls;
    const retried = await other.deliver('greenhouse', body, headers);
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as Answer).outcome).toBe('screened');
    await settle();
    expect(h.drafter.calls - drafted).toBe(1);
    expect(await other.delivery('greenhouse', 'evt-storage')).toMatchObject({
      attempts: 2,
      outcome: 'screened',
    });
  });
});
