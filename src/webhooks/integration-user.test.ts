import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import {
  greenhouseApplication,
  greenhouseHeaders,
  type HarnessOrg,
  secret,
  startWebhookHarness,
  type WebhookHarness,
} from '../../tests/support/webhooks';
import { integrationUserId } from '../integrations/integration';

// A webhook acts as the organisation's integration user as they are now, over real HTTP (the app on a loopback
// socket, the attachment from a local file server).
let h: WebhookHarness;
let org: HarnessOrg;
let key: string;
let nextApplication = 9100;
const integrationUser = integrationUserId('greenhouse');
const resumeBytes = new TextEncoder().encode(seniorResumeText);

beforeAll(async () => {
  h = await startWebhookHarness();
  org = await h.newOrg();
  key = secret();
  const res = await org.configure('greenhouse', { webhookSecret: key, allowedDownloadHosts: ['127.0.0.1'] });
  expect(res.status).toBe(200);
});
afterAll(() => h?.close());

type Answer = { outcome?: string; screeningId?: string; error?: { code: string; message: string } };

async function deliver(payload: Record<string, unknown>, eventId: string) {
  const body = JSON.stringify(payload);
  const res = await org.deliver('greenhouse', body, greenhouseHeaders(key, body, eventId));
  return { status: res.status, body: (await res.json()) as Answer };
}

const changeUser = async (change: Record<string, unknown>) => {
  const res = await h.server.fetch(`/v1/users/${integrationUser}`, {
    method: 'PATCH',
    headers: { ...bearer(org.tokens.admin), 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
  expect(res.status).toBe(200);
};

const screeningsNow = async () => {
  const res = await h.server.fetch('/v1/screenings?limit=100', { headers: bearer(org.tokens.reviewer) });
  return ((await res.json()) as { items: unknown[] }).items.length;
};

describe('the integration user of a webhook', () => {
  it('deactivated: the delivery is refused with 403 and recorded, nothing is fetched or screened; the retry after reactivation is screened', async () => {
    const path = `/gh/inactive-${++nextApplication}.txt`;
    const payload = greenhouseApplication({
      applicationId: nextApplication,
      resumeUrl: h.files.file(path, resumeBytes, 'text/plain'),
    });
    const before = await screeningsNow();
    await changeUser({ active: false });

    const refused = await deliver(payload, 'evt-inactive');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('integration_user_inactive');
    expect(refused.body.error?.message).toContain('Greenhouse integration user is deactivated');
    expect(h.files.hits(path)).toBe(0);
    expect(await screeningsNow()).toBe(before);
    expect(await org.delivery('greenhouse', 'evt-inactive')).toMatchObject({
      status: 'retryable',
      outcome: null,
      httpStatus: 403,
      screeningId: null,
      reason: { code: 'integration_user_inactive' },
    });
    // Greenhouse retries anything but 200: the same delivery is refused again while nothing has changed.
    expect((await deliver(payload, 'evt-inactive')).status).toBe(403);

    await changeUser({ active: true });
    const retried = await deliver(payload, 'evt-inactive');
    expect(retried.status).toBe(200);
    expect(retried.body.outcome).toBe('screened');
    expect(await org.delivery('greenhouse', 'evt-inactive')).toMatchObject({
      status: 'done',
      outcome: 'screened',
      httpStatus: 200,
      screeningId: retried.body.screeningId,
    });
    expect(h.files.hits(path)).toBe(1);
  });

  it('moved to a role that cannot upload: refused the same way; an admin role still uploads as a recruiter', async () => {
    const path = `/gh/role-${++nextApplication}.txt`;
    const payload = greenhouseApplication({
      applicationId: nextApplication,
      resumeUrl: h.files.file(path, resumeBytes, 'text/plain'),
    });
    await changeUser({ role: 'reviewer' });
    const refused = await deliver(payload, 'evt-role');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code).toBe('integration_user_role');
    expect((await org.delivery('greenhouse', 'evt-role')).reason).toMatchObject({
      code: 'integration_user_role',
    });

    await changeUser({ role: 'admin' });
    const screened = await deliver(payload, 'evt-role');
    expect(screened.status).toBe(200);
    const res = await h.server.fetch(`/v1/screenings/${screened.body.screeningId}`, {
      headers: bearer(org.tokens.reviewer),
    });
    const { screening } = (await res.json()) as { screening: { createdBy: string } };
    expect(screening.createdBy).toBe(integrationUser);
    await changeUser({ role: 'recruiter' });
  });
});
