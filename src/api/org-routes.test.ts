import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../tests/support/http';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { blindScreeningFor } from '../screening/process-screening';
import { createApp } from './app';
import { AuditList } from './review-schemas';

// `/v1/org/settings` through `app.request`, against DynamoDB Local.
let t: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  app = createApp(t.services);
});
afterAll(() => t.close());

const send = (method: string, token: string, body?: unknown) =>
  app.request('/v1/org/settings', {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const audit = async (org: TestOrg) =>
  AuditList.parse(await (await app.request('/v1/audit', { headers: bearer(org.tokens.admin) })).json()).items;

describe('/v1/org/settings', () => {
  it('is for admins only: reviewers and recruiters get 403 and change nothing', async () => {
    const org = await t.newOrg();
    for (const role of ['recruiter', 'reviewer'] as const) {
      expect((await send('GET', org.tokens[role])).status).toBe(403);
      const res = await send('PATCH', org.tokens[role], { blindScreening: false });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    expect((await app.request('/v1/org/settings')).status).toBe(401);
    expect(await blindScreeningFor(t.services, org.orgId)).toBe(true);
    expect(await audit(org)).toEqual([]);
  });

  it('turns blind screening off and on, for the worker too, with an audit event for each change', async () => {
    const org = await t.newOrg();
    const other = await t.newOrg();
    expect(await (await send('GET', org.tokens.admin)).json()).toEqual({
      blindScreening: true,
      resumeRubricId: null,
    });

    const off = await send('PATCH', org.tokens.admin, { blindScreening: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ blindScreening: false, resumeRubricId: null });
    expect(await (await send('GET', org.tokens.admin)).json()).toEqual({
      blindScreening: false,
      resumeRubricId: null,
    });
    expect(await blindScreeningFor(t.services, org.orgId)).toBe(false);
    // Another organisation keeps its own.
    expect(await blindScreeningFor(t.services, other.orgId)).toBe(true);

    // The same value again changes nothing and writes no event.
    expect((await send('PATCH', org.tokens.admin, { blindScreening: false })).status).toBe(200);
    expect((await send('PATCH', org.tokens.admin, { blindScreening: true })).status).toBe(200);

    const events = await audit(org);
    expect(events.map((e) => e.action)).toEqual(['org.settings_updated', 'org.settings_updated']);
    expect(events[1]).toMatchObject({
      actor: { userId: org.principals.admin.userId, role: 'admin', via: 'token' },
      target: { type: 'org', id: org.orgId },
      before: { blindScreening: true },
      after: { blindScreening: false },
    });
    expect(events[0]).toMatchObject({ before: { blindScreening: false }, after: { blindScreening: true } });
    expect(await audit(other)).toEqual([]);
  });

  it('refuses a body that is not a settings change with 400', async () => {
    const org = await t.newOrg();
    for (const body of [{}, { blindScreening: 'no' }, { blindscreening: false }, { blindScreening: null }]) {
      const res = await send('PATCH', org.tokens.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const notJson = await app.request('/v1/org/settings', {
      method: 'PATCH',
      headers: { ...bearer(org.tokens.admin), 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(await blindScreeningFor(t.services, org.orgId)).toBe(true);
    expect(await audit(org)).toEqual([]);
  });

  it('sets the organisation’s resume rubric from the catalogue, audited, and back to the deployment default', async () => {
    const org = await t.newOrg();
    const other = await t.newOrg();
    const catalogue = async (token: string) =>
      (await (await app.request('/v1/org/rubrics', { headers: bearer(token) })).json()) as {
        items: Array<{ id: string; kind: string; title: string; version: string }>;
        resumeDefault: string;
      };
    // Every role may read the catalogue: recruiters choose from it when they upload.
    const before = await catalogue(org.tokens.recruiter);
    expect(before.items).toContainEqual({
      id: 'senior-python-data-engineer',
      version: '1.0.0',
      title: 'Senior Python data engineer',
      kind: 'resume',
    });
    expect(before.items.find((r) => r.id === 'senior-python-take-home')?.kind).toBe('take-home');
    expect(before.resumeDefault).toBe(t.services.config.rubricId);

    const set = await send('PATCH', org.tokens.admin, { resumeRubricId: 'senior-python-data-engineer' });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ blindScreening: true, resumeRubricId: 'senior-python-data-engineer' });
    expect((await catalogue(org.tokens.reviewer)).resumeDefault).toBe('senior-python-data-engineer');
    expect((await catalogue(other.tokens.recruiter)).resumeDefault).toBe(t.services.config.rubricId);

    const reset = await send('PATCH', org.tokens.admin, { resumeRubricId: null });
    expect(await reset.json()).toEqual({ blindScreening: true, resumeRubricId: null });
    expect((await catalogue(org.tokens.admin)).resumeDefault).toBe(t.services.config.rubricId);

    const events = await audit(org);
    expect(events.map((e) => [e.before, e.after])).toEqual([
      [
        { blindScreening: true, resumeRubricId: 'senior-python-data-engineer' },
        { blindScreening: true, resumeRubricId: null },
      ],
      [
        { blindScreening: true, resumeRubricId: null },
        { blindScreening: true, resumeRubricId: 'senior-python-data-engineer' },
      ],
    ]);
    expect(await audit(other)).toEqual([]);
  });

  it('refuses a resume rubric the catalogue does not have, or one for take-homes, naming the field', async () => {
    const org = await t.newOrg();
    for (const id of ['senior-python-frontend', 'senior-python-take-home']) {
      const res = await send('PATCH', org.tokens.admin, { resumeRubricId: id });
      expect(res.status, id).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; message: string; details: { field: string } };
      };
      expect(body.error).toMatchObject({ code: 'unknown_rubric', details: { field: 'resumeRubricId' } });
      expect(body.error.message).toContain(id);
    }
    expect((await send('PATCH', org.tokens.admin, { resumeRubricId: '../rubrics/x' })).status).toBe(400);
    expect(
      (await send('PATCH', org.tokens.reviewer, { resumeRubricId: 'senior-python-data-engineer' })).status,
    ).toBe(403);
    expect(await (await send('GET', org.tokens.admin)).json()).toEqual({
      blindScreening: true,
      resumeRubricId: null,
    });
    expect(await audit(org)).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(spec.paths['/v1/org/settings'] ?? {}).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(spec.paths['/v1/org/rubrics'] ?? {})).toEqual(['get']);
  });
});
