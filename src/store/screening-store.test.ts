import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { newId } from '../core/ids';
import type { Screening } from '../screening/screening';
import { StaleScreeningError } from './screening-store';

// Against DynamoDB Local over HTTP: conditional writes, transactions and the sparse index are the point here.
let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());

const screeningFor = (orgId: string, receivedAt: string, overrides: Partial<Screening> = {}): Screening => ({
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
  receivedAt,
  updatedAt: receivedAt,
  attempts: 0,
  leaseExpiresAt: null,
  submissionIds: [],
  ...overrides,
});

describe('ScreeningStore', () => {
  it('lists one status of one organisation oldest first, page by page', async () => {
    const { orgId } = await t.newOrg();
    const created: Screening[] = [];
    for (let i = 0; i < 5; i++) {
      const s = screeningFor(orgId, new Date(Date.UTC(2026, 0, 10 - i)).toISOString());
      await t.services.screenings.create(s, []);
      created.push(s);
    }
    const first = await t.services.screenings.listByStatus(orgId, 'queued', { limit: 2 });
    expect(first.items.map((s) => s.id)).toEqual([created[4]?.id, created[3]?.id]);
    expect(first.nextCursor).not.toBeNull();
    const second = await t.services.screenings.listByStatus(orgId, 'queued', {
      limit: 2,
      cursor: first.nextCursor ?? '',
    });
    expect(second.items.map((s) => s.id)).toEqual([created[2]?.id, created[1]?.id]);
    const third = await t.services.screenings.listByStatus(orgId, 'queued', {
      limit: 2,
      cursor: second.nextCursor ?? '',
    });
    expect(third.items.map((s) => s.id)).toEqual([created[0]?.id]);
    expect(await t.services.screenings.listByStatus(orgId, 'drafted', { limit: 10 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('never returns another organisation’s screening, by id, by list or by a borrowed cursor', async () => {
    const a = await t.newOrg();
    const b = await t.newOrg();
    const mine = screeningFor(a.orgId, '2026-01-01T00:00:00.000Z');
    await t.services.screenings.create(mine, []);
    await t.services.screenings.create(screeningFor(a.orgId, '2026-01-02T00:00:00.000Z'), []);
    expect(await t.services.screenings.get(b.orgId, mine.id)).toBeNull();
    expect((await t.services.screenings.listByStatus(b.orgId, 'queued', { limit: 10 })).items).toEqual([]);
    const page = await t.services.screenings.listByStatus(a.orgId, 'queued', { limit: 1 });
    await expect(
      t.services.screenings.listByStatus(b.orgId, 'queued', { limit: 1, cursor: page.nextCursor ?? '' }),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('moves a screening between status partitions with a conditional write and a version', async () => {
    const { orgId } = await t.newOrg();
    const s = screeningFor(orgId, '2026-02-01T00:00:00.000Z');
    await t.services.screenings.create(s, []);
    const now = new Date();
    const claimed = await t.services.screenings.claim(orgId, s.id, now, 60);
    expect(claimed).toMatchObject({ status: 'extracting', version: 2, attempts: 1 });
    expect((await t.services.screenings.listByStatus(orgId, 'queued', { limit: 10 })).items).toEqual([]);
    expect(
      (await t.services.screenings.listByStatus(orgId, 'extracting', { limit: 10 })).items.map((x) => x.id),
    ).toEqual([s.id]);

    // A second claim while the lease runs finds it taken.
    expect(await t.services.screenings.claim(orgId, s.id, now, 60)).toBeNull();
    // A stale version loses.
    await expect(
      t.services.screenings.transition(orgId, s.id, {
        from: ['extracting'],
        to: 'drafting',
        expectedVersion: 1,
        now,
      }),
    ).rejects.toBeInstanceOf(StaleScreeningError);
    // A wrong source status loses.
    await expect(
      t.services.screenings.transition(orgId, s.id, { from: ['drafting'], to: 'drafted', now }),
    ).rejects.toBeInstanceOf(StaleScreeningError);
    // Once the lease has run out (its worker died) another worker may take it over.
    const later = new Date(now.getTime() + 61_000);
    expect(await t.services.screenings.claim(orgId, s.id, later, 60)).toMatchObject({
      status: 'extracting',
      attempts: 2,
      version: 3,
    });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const { orgId } = await t.newOrg();
    const s = screeningFor(orgId, '2026-03-01T00:00:00.000Z');
    await t.services.screenings.create(s, []);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.services.screenings.claim(orgId, s.id, new Date(), 60)),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('refuses to create the same screening twice', async () => {
    const { orgId } = await t.newOrg();
    const s = screeningFor(orgId, '2026-04-01T00:00:00.000Z');
    await t.services.screenings.create(s, []);
    await expect(t.services.screenings.create(s, [])).rejects.toThrow();
  });

  it('lists unfinished work and registered organisations for the restart path', async () => {
    const { orgId } = await t.newOrg();
    const queued = screeningFor(orgId, '2026-05-01T00:00:00.000Z');
    const failed = screeningFor(orgId, '2026-05-02T00:00:00.000Z', { status: 'failed' });
    await t.services.screenings.create(queued, []);
    await t.services.screenings.create(failed, []);
    expect((await t.services.screenings.listWorking(orgId)).map((c) => c.screening.id)).toEqual([queued.id]);
    expect(await t.services.screenings.listOrgIds()).toContain(orgId);
  });
});

describe('a candidate’s screenings', () => {
  it('indexes every screening under its candidate, oldest first, within the organisation only', async () => {
    const { orgId } = await t.newOrg();
    const other = await t.newOrg();
    const candidateId = newId('cand');
    const takeHome = screeningFor(orgId, '2026-02-02T10:00:00.000Z', { candidateId, kind: 'take-home' });
    const resume = screeningFor(orgId, '2026-02-01T10:00:00.000Z', { candidateId });
    await t.services.screenings.create(takeHome, []);
    await t.services.screenings.create(resume, []);
    await t.services.screenings.create(screeningFor(orgId, '2026-02-03T10:00:00.000Z'), []);
    expect(await t.services.screenings.listCandidateScreenings(orgId, candidateId)).toEqual([
      { screeningId: resume.id, kind: 'resume', receivedAt: resume.receivedAt },
      { screeningId: takeHome.id, kind: 'take-home', receivedAt: takeHome.receivedAt },
    ]);
    expect(await t.services.screenings.listCandidateScreenings(other.orgId, candidateId)).toEqual([]);
  });
});
