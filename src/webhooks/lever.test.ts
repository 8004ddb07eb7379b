import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLever, startFakeLever } from '../../tests/support/fake-ats-servers';
import { waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import {
  type HarnessOrg,
  leverDelivery,
  secret,
  startWebhookHarness,
  type WebhookHarness,
} from '../../tests/support/webhooks';

// Lever over real HTTP: the app on a loopback socket, a fake Lever API (resume list and download) on another.
let h: WebhookHarness;
let lever: FakeLever;
let org: HarnessOrg;
let token: string;
const apiKey = 'lever-api-key-0123456789';
const resumeBytes = new TextEncoder().encode(seniorResumeText);
// A resume that names its writer only in the body: blind screening needs the name from Lever to remove it.
const namelessBytes = new TextEncoder().encode(
  `${seniorResumeText.split('\n').slice(1).join('\n')}\n- Priya Raman led the migration.\n`,
);

beforeAll(async () => {
  h = await startWebhookHarness();
  lever = await startFakeLever(apiKey);
  org = await h.newOrg();
  token = secret();
  const res = await org.configure('lever', {
    webhookSecret: token,
    apiKey,
    apiBaseUrl: `${lever.baseUrl}/v1`,
    allowedDownloadHosts: ['127.0.0.1'],
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await lever?.close();
});

type Answer = { outcome?: string; screeningId?: string; reason?: { code: string }; error?: { code: string } };
const deliver = async (body: string) => {
  const res = await org.deliver('lever', body, { 'user-agent': 'Lever-Webhooks' });
  return { status: res.status, body: (await res.json()) as Answer };
};

function opportunityWithResume(): string {
  const opportunityId = randomUUID();
  lever.setOpportunity(opportunityId, { name: 'Priya Raman', emails: ['priya@example.com'] });
  lever.setResumes(opportunityId, [
    {
      id: 'res-old',
      name: 'old.txt',
      createdAt: 1_700_000_000_000,
      bytes: new TextEncoder().encode('old resume'),
    },
    { id: 'res-new', name: 'ada.txt', createdAt: 1_700_000_500_000, bytes: resumeBytes },
  ]);
  return opportunityId;
}

describe('Lever webhooks', () => {
  it('screens applicationCreated: lists resumes and downloads the newest with the API key as Basic user', async () => {
    const opportunityId = opportunityWithResume();
    const drafted = h.drafter.calls;
    const { status, body } = await deliver(leverDelivery(token, { opportunityId }));
    expect(status).toBe(200);
    expect(body.outcome).toBe('screened');
    const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, body.screeningId ?? '', [
      'drafted',
      'failed',
    ]);
    expect(done.screening).toMatchObject({
      status: 'drafted',
      createdBy: 'usr_integration-lever',
      candidate: {
        externalId: `lever:opportunity:${opportunityId}`,
        name: 'Priya Raman',
        email: 'priya@example.com',
      },
    });
    expect(h.drafter.calls - drafted).toBe(1);
    const calls = lever.calls.filter((c) => c.path.includes(opportunityId));
    expect(calls.map((c) => c.path)).toEqual([
      `/v1/opportunities/${opportunityId}`,
      `/v1/opportunities/${opportunityId}/resumes`,
      `/v1/opportunities/${opportunityId}/resumes/res-new/download`,
    ]);
    expect(
      calls.every((c) => c.authorization === `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`),
    ).toBe(true);
  });

  it("blind-screens with the opportunity's name and email: a resume naming its writer only in the body", async () => {
    const opportunityId = randomUUID();
    lever.setOpportunity(opportunityId, {
      name: 'Priya Raman',
      emails: ['not an email', 'priya@example.com'],
      phones: [{ type: 'mobile', value: '+44 20 7946 0000' }],
    });
    lever.setResumes(opportunityId, [{ id: 'r1', name: 'cv.txt', createdAt: 1, bytes: namelessBytes }]);
    const before = h.drafter.texts.length;
    const { body } = await deliver(leverDelivery(token, { opportunityId }));
    expect(body.outcome).toBe('screened');
    const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, body.screeningId ?? '', [
      'drafted',
      'failed',
    ]);
    expect(done.screening).toMatchObject({
      status: 'drafted',
      candidate: { name: 'Priya Raman', email: 'priya@example.com' },
    });
    const sent = h.drafter.texts.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('[NAME] led the migration');
    expect(sent[0]).not.toMatch(/priya/i);
  });

  it('fails that resume closed when Lever does not know the opportunity, without sending it', async () => {
    const opportunityId = randomUUID();
    lever.setResumes(opportunityId, [{ id: 'r1', name: 'cv.txt', createdAt: 1, bytes: namelessBytes }]);
    const drafted = h.drafter.calls;
    const { body } = await deliver(leverDelivery(token, { opportunityId }));
    expect(body.outcome).toBe('screened');
    const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, body.screeningId ?? '', [
      'drafted',
      'failed',
    ]);
    expect(done.screening).toMatchObject({
      status: 'failed',
      candidate: { name: null, email: null },
      statusReason: { code: 'blind_screening_failed' },
    });
    expect(h.drafter.calls).toBe(drafted);
  });

  it('answers an exact redelivery with the same screening; refuses a reused token with another body', async () => {
    const opportunityId = opportunityWithResume();
    const body = leverDelivery(token, {
      opportunityId,
      token: 'tok-reused-0123456789abcdef',
      id: 'lever-evt-1',
    });
    const first = await deliver(body);
    expect(first.body.outcome).toBe('screened');
    const again = await deliver(body);
    expect(again).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate', screeningId: first.body.screeningId },
    });

    // The signature covers only token + triggeredAt: the same triple with another body is a replay.
    const swapped = JSON.parse(body) as Record<string, unknown>;
    swapped.id = 'lever-evt-2';
    swapped.data = { opportunityId: opportunityWithResume() };
    const replay = await deliver(JSON.stringify(swapped));
    expect(replay.status).toBe(401);
    expect(replay.body.error?.code).toBe('token_reused');
  });

  it('refuses a forged signature and a stale or future triggeredAt', async () => {
    const forged = await deliver(leverDelivery(secret(), { opportunityId: opportunityWithResume() }));
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'signature_invalid' } } });
    const stale = await deliver(leverDelivery(token, { triggeredAt: Date.now() - 2 * 86_400_000 }));
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'stale_delivery' } } });
    const future = await deliver(leverDelivery(token, { triggeredAt: Date.now() + 3_600_000 }));
    expect(future).toMatchObject({ status: 401, body: { error: { code: 'stale_delivery' } } });
    const unsigned = await deliver(JSON.stringify({ id: 'x', event: 'applicationCreated', data: {} }));
    expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'signature_missing' } } });
    const garbage = await deliver('{not json');
    expect(garbage.status).toBe(400);
  });

  it('acknowledges other events and records them', async () => {
    const { status, body } = await deliver(
      leverDelivery(token, { event: 'candidateStageChange', id: 'lever-stage-1' }),
    );
    expect(status).toBe(200);
    expect(body.outcome).toBe('ignored');
    expect(await org.delivery('lever', 'lever-stage-1')).toMatchObject({
      outcome: 'ignored',
      event: 'candidateStageChange',
    });
  });

  it('answers 503 while the Lever API fails or refuses the key, and screens once on the retry', async () => {
    const opportunityId = opportunityWithResume();
    const body = leverDelivery(token, { opportunityId, id: 'lever-flaky' });
    lever.failNext(503);
    expect((await deliver(body)).status).toBe(503);
    lever.failNext(401);
    const refused = await deliver(body);
    expect(refused.status).toBe(503);
    expect(await org.delivery('lever', 'lever-flaky')).toMatchObject({
      status: 'retryable',
      reason: { code: 'vendor_api_auth' },
    });
    const retried = await deliver(body);
    expect(retried).toMatchObject({ status: 200, body: { outcome: 'screened' } });
    expect(await org.delivery('lever', 'lever-flaky')).toMatchObject({ attempts: 3, outcome: 'screened' });
  });

  it('records an opportunity without resumes, or a resume Lever could not process (422), and acknowledges it', async () => {
    const empty = randomUUID();
    lever.setResumes(empty, []);
    const none = await deliver(leverDelivery(token, { opportunityId: empty }));
    expect(none).toMatchObject({ status: 200, body: { outcome: 'rejected', reason: { code: 'no_resume' } } });
    const broken = randomUUID();
    lever.setResumes(broken, [{ id: 'r1', name: 'r.doc', createdAt: 1, downloadStatus: 422 }]);
    const unprocessable = await deliver(leverDelivery(token, { opportunityId: broken }));
    expect(unprocessable).toMatchObject({
      status: 200,
      body: { outcome: 'rejected', reason: { code: 'attachment_refused' } },
    });
  });

  it('follows a download redirect to an allowed file host without sending the API key there', async () => {
    const url = h.files.file('/lever/redirected.txt', resumeBytes, 'text/plain');
    const opportunityId = randomUUID();
    lever.setResumes(opportunityId, [{ id: 'r1', name: 'ada.txt', createdAt: 1, redirectTo: url }]);
    const { body } = await deliver(leverDelivery(token, { opportunityId }));
    expect(body.outcome).toBe('screened');
    const hit = h.files.requests.find((r) => r.path === '/lever/redirected.txt');
    expect(hit?.headers.authorization).toBeUndefined();
  });
});
