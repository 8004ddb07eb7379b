import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAshby, startFakeAshby } from '../../tests/support/fake-ats-servers';
import { waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import {
  ashbyHeaders,
  ashbySubmit,
  type HarnessOrg,
  secret,
  startWebhookHarness,
  type WebhookHarness,
} from '../../tests/support/webhooks';

// Ashby over real HTTP: the app on a loopback socket, a fake Ashby API (candidate.info, file.info) on another, and
// the presigned resume URL on the attachment server.
let h: WebhookHarness;
let ashby: FakeAshby;
let org: HarnessOrg;
let key: string;
const apiKey = 'ashby-api-key-0123456789';
const resumeBytes = new TextEncoder().encode(seniorResumeText);

beforeAll(async () => {
  h = await startWebhookHarness();
  ashby = await startFakeAshby(apiKey);
  org = await h.newOrg();
  key = secret();
  const res = await org.configure('ashby', {
    webhookSecret: key,
    apiKey,
    apiBaseUrl: ashby.baseUrl,
    allowedDownloadHosts: ['127.0.0.1'],
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await ashby?.close();
});

type Answer = { outcome?: string; screeningId?: string; reason?: { code: string }; error?: { code: string } };

async function deliver(target: HarnessOrg, payload: unknown, headers: Record<string, string>) {
  const body = JSON.stringify(payload);
  const res = await target.deliver('ashby', body, headers);
  return { status: res.status, body: (await res.json()) as Answer };
}
const signed = (payload: unknown) => deliver(org, payload, ashbyHeaders(key, JSON.stringify(payload)));

function candidateWithResume(
  url = h.files.file(`/ashby/${randomUUID()}.txt`, resumeBytes, 'text/plain'),
): string {
  const candidateId = randomUUID();
  ashby.setCandidate(candidateId, { handle: `handle-${candidateId}`, name: 'ada.txt', url });
  return candidateId;
}

const submit = (
  candidateId: string,
  webhookActionId: string = randomUUID(),
  applicationId: string = randomUUID(),
) => ashbySubmit({ webhookActionId, applicationId, candidateId });

describe('Ashby webhooks', () => {
  it('acknowledges a ping', async () => {
    const { status, body } = await signed({ action: 'ping', data: {} });
    expect(status).toBe(200);
    expect(body.outcome).toBe('ping');
  });

  it('screens applicationSubmit through candidate.info and file.info, once per webhookActionId', async () => {
    const candidateId = candidateWithResume();
    const payload = submit(candidateId, 'wa-1');
    const drafted = h.drafter.calls;
    const first = await signed(payload);
    expect(first).toMatchObject({ status: 200, body: { outcome: 'screened' } });
    const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, first.body.screeningId ?? '', [
      'drafted',
      'failed',
    ]);
    expect(done.screening).toMatchObject({
      status: 'drafted',
      createdBy: 'usr_integration-ashby',
      candidate: { name: 'Ada Lovelace', email: 'ada@example.test', position: 'Staff Python Engineer' },
    });
    const calls = ashby.calls.filter((c) => c.body.includes(candidateId));
    expect(calls.map((c) => [c.method, c.path])).toEqual([
      ['POST', '/candidate.info'],
      ['POST', '/file.info'],
    ]);
    const again = await signed(payload);
    expect(again).toMatchObject({
      status: 200,
      body: { outcome: 'duplicate', screeningId: first.body.screeningId },
    });
    expect(h.drafter.calls - drafted).toBe(1);
  });

  it('refuses a bad or missing signature with 401 (which Ashby does not retry)', async () => {
    const payload = submit(candidateWithResume());
    const wrong = await deliver(org, payload, ashbyHeaders(secret(), JSON.stringify(payload)));
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'signature_invalid' } } });
    const greenhouseStyle = await deliver(org, payload, {
      'ashby-signature': ashbyHeaders(key, JSON.stringify(payload))['ashby-signature'].replace('=', ' '),
    });
    expect(greenhouseStyle.status).toBe(401);
    const missing = await deliver(org, payload, {});
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'signature_missing' } } });
  });

  it('accepts unsigned deliveries only for an organisation that opted in and set no secret', async () => {
    const strict = await h.newOrg();
    expect(
      (await strict.configure('ashby', { allowUnsigned: false, apiKey, apiBaseUrl: ashby.baseUrl })).status,
    ).toBe(400);
    const lenient = await h.newOrg();
    const configured = await lenient.configure('ashby', {
      allowUnsigned: true,
      apiKey,
      apiBaseUrl: ashby.baseUrl,
      allowedDownloadHosts: ['127.0.0.1'],
    });
    expect(configured.status).toBe(200);
    const unsigned = await deliver(lenient, submit(candidateWithResume()), {});
    expect(unsigned).toMatchObject({ status: 200, body: { outcome: 'screened' } });
    // Once a secret is set, signatures are required again.
    await lenient.configure('ashby', { allowUnsigned: true, webhookSecret: secret() });
    expect((await deliver(lenient, submit(candidateWithResume()), {})).status).toBe(401);
  });

  it('records a candidate without a resume, a presigned URL off the allow-list (a metadata address), an unknown candidate', async () => {
    const noResume = randomUUID();
    ashby.setCandidate(noResume, null);
    expect(await signed(submit(noResume))).toMatchObject({
      status: 200,
      body: { outcome: 'rejected', reason: { code: 'no_resume' } },
    });
    const hostile = candidateWithResume('http://[::ffff:169.254.169.254]/latest/meta-data/');
    expect(await signed(submit(hostile))).toMatchObject({
      status: 200,
      body: { outcome: 'rejected', reason: { code: 'attachment_host_not_allowed' } },
    });
    const unknown = randomUUID(); // Ashby answers success: false
    expect(await signed(submit(unknown))).toMatchObject({
      status: 200,
      body: { outcome: 'rejected', reason: { code: 'vendor_api_error' } },
    });
  });

  it('answers 503 when the Ashby API is down, so Ashby retries', async () => {
    const payload = submit(candidateWithResume(), 'wa-down');
    ashby.failNext(502);
    expect((await signed(payload)).status).toBe(503);
    expect(await signed(payload)).toMatchObject({ status: 200, body: { outcome: 'screened' } });
  });

  it('acknowledges other actions and records them', async () => {
    const { status, body } = await signed({
      webhookActionId: 'wa-stage',
      action: 'candidateStageChange',
      data: {},
    });
    expect(status).toBe(200);
    expect(body.outcome).toBe('ignored');
    expect(await org.delivery('ashby', 'wa-stage')).toMatchObject({ outcome: 'ignored' });
  });
});
