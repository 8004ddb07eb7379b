import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext, scheduledEvent } from '../../tests/support/aws/lambda-events';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { newId } from '../core/ids';
import type { Screening, ScreeningStatus } from '../screening/screening';
import { createDocumentClient } from '../store/dynamo';
import { createAgeingHandler } from './ageing-handler';
import { functionMetrics } from './metrics';
import { createPowertoolsLogger } from './powertools-logger';

// The daily reminder against DynamoDB Local: organisations from the SYS#ORGS registry, screenings from the sparse
// status index, a log line and two metrics per organisation on stdout/stderr (where CloudWatch reads them).
const NOW = new Date('2026-11-29T07:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

let t: TestServices;
let lines: Array<Record<string, unknown>>;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());
beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

async function seed(orgId: string, status: ScreeningStatus, ageDays: number, name = 'Ada Lovelace') {
  const id = newId('scr');
  const receivedAt = daysAgo(ageDays);
  const screening: Screening = {
    id,
    orgId,
    kind: 'resume',
    candidateId: newId('cand'),
    status,
    statusReason: null,
    version: 1,
    candidate: { name, email: 'ada@example.test', externalId: null, position: null },
    rubricId: 'senior-python-backend',
    source: 'upload',
    createdBy: 'usr_test',
    receivedAt,
    updatedAt: receivedAt,
    attempts: 0,
    leaseExpiresAt: null,
    submissionIds: [],
  };
  await t.services.screenings.create(screening, []);
  return id;
}

function handler() {
  const config = { ...t.services.config, aws: { ...t.services.config.aws, stage: 'test' } };
  const db = createDocumentClient({ endpoint: config.dynamo.endpoint, region: config.dynamo.region });
  return createAgeingHandler({
    config,
    db,
    screenings: t.services.screenings,
    logger: createPowertoolsLogger('vetline-ageing', 'info'),
    metrics: functionMetrics(config, 'ageing'),
    now: () => NOW,
  });
}

describe('the ageing reminders', () => {
  it('counts, per organisation, the screenings waiting past the warning and past the ten-day window', async () => {
    const busy = (await t.newOrg()).orgId;
    const quiet = (await t.newOrg()).orgId;
    const overdue = await seed(busy, 'drafted', 12);
    const ageing = await seed(busy, 'queued', 8);
    await seed(busy, 'failed', 7.5);
    await seed(busy, 'drafted', 2); // fresh
    await seed(busy, 'approved', 30); // decided: no reminder
    await seed(busy, 'rejected', 20);
    await seed(quiet, 'drafted', 1);

    const summary = await handler()(scheduledEvent(), lambdaContext('vetline-test-AgeingReminders'));
    expect(summary.organisations).toBeGreaterThanOrEqual(2);

    const busyLine = lines.find((l) => l.orgId === busy && typeof l.message === 'string');
    expect(busyLine).toMatchObject({
      level: 'WARN',
      message: 'screenings past the review window',
      ageing: 3,
      overdue: 1,
      byStatus: { drafted: 1, queued: 1, failed: 1 },
      oldestReceivedAt: daysAgo(12),
    });
    const listed = ((busyLine?.screenings ?? []) as Array<{ screeningId: string }>).map((s) => s.screeningId);
    expect(listed.slice(0, 2)).toEqual([overdue, ageing]);

    const quietLine = lines.find((l) => l.orgId === quiet && typeof l.message === 'string');
    expect(quietLine).toBeUndefined(); // nothing ageing: debug only, below the info level
  });

  it('emits the two metrics per organisation in CloudWatch’s embedded metric format', async () => {
    const org = (await t.newOrg()).orgId;
    await seed(org, 'drafting', 11);
    await handler()(scheduledEvent(), lambdaContext('vetline-test-AgeingReminders'));
    const emf = lines.filter((l) => '_aws' in l && l.orgId === org);
    expect(Object.assign({}, ...emf)).toMatchObject({
      AgeingScreenings: 1,
      OverdueScreenings: 1,
      stage: 'test',
      service: 'vetline-ageing',
    });
    const directive = (
      (emf[0]?._aws ?? { CloudWatchMetrics: [] }) as {
        CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }>;
      }
    ).CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe('Vetline');
    expect(directive?.Dimensions[0]).toEqual(expect.arrayContaining(['orgId']));
  });

  it('writes no candidate data: ids, statuses and ages only', async () => {
    const org = (await t.newOrg()).orgId;
    await seed(org, 'drafted', 9, 'Grace Hopper-Unique-Name');
    await handler()(scheduledEvent(), lambdaContext('vetline-test-AgeingReminders'));
    const text = JSON.stringify(lines);
    expect(text).toContain(org);
    expect(text).not.toContain('Grace Hopper-Unique-Name');
    expect(text).not.toContain('ada@example.test');
  });
});
