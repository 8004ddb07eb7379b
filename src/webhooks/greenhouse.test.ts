import { request as httpRequest } from 'node:http';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import {
  greenhouseApplication,
  greenhouseHeaders,
  type HarnessOrg,
  secret,
  startWebhookHarness,
  type WebhookHarness,
} from '../../tests/support/webhooks';

// Greenhouse over real HTTP: the app on a loopback socket, attachments from a local file server.
let h: WebhookHarness;
let org: HarnessOrg;
let key: string;
let nextApplication = 500;
const resumeBytes = new TextEncoder().encode(seniorResumeText);

beforeAll(async () => {
  h = await startWebhookHarness({
    VETLINE_DOWNLOAD_TIMEOUT_MS: '600',
    VETLINE_MAX_UPLOAD_BYTES: String(200 * 1024),
  });
  org = await h.newOrg();
  key = secret();
  const res = await org.configure('greenhouse', { webhookSecret: key, allowedDownloadHosts: ['127.0.0.1'] });
  expect(res.status).toBe(200);
});
afterAll(() => h?.close());

type Answer = { received: boolean; outcome: string; screeningId?: string; reason?: { code: string } };

async function send(payload: Record<string, unknown>, eventId?: string) {
  const body = JSON.stringify(payload);
  const res = await org.deliver('greenhouse', body, greenhouseHeaders(key, body, eventId));
  return { status: res.status, body: (await res.json()) as Answer & { error?: { code: string } } };
}

const newApplication = (resumeUrl: string | null) =>
  greenhouseApplication({ applicationId: ++nextApplication, resumeUrl });

describe('Greenhouse webhooks', () => {
  it('screens with the organisation’s resume rubric, as an upload without a rubric would', async () => {
    const setRubric = (resumeRubricId: string | null) =>
      h.server.fetch('/v1/org/settings', {
        method: 'PATCH',
        headers: { ...bearer(org.tokens.admin), 'content-type': 'application/json' },
        body: JSON.stringify({ resumeRubricId }),
      });
    expect((await setRubric('senior-python-data-engineer')).status).toBe(200);
    try {
      const url = h.files.file('/gh/rubric.txt', resumeBytes, 'text/plain');
      const { body } = await send(newApplication(url));
      expect(body.outcome).toBe('screened');
      const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, body.screeningId ?? '', [
        'drafted',
        'failed',
      ]);
      expect(done.screening).toMatchObject({ status: 'drafted', rubricId: 'senior-python-data-engineer' });
    } finally {
      expect((await setRubric(null)).status).toBe(200);
    }
  });

  it('acknowledges a signed ping with 200 and records it on the integration', async () => {
    const { status, body } = await send({ action: 'ping', payload: { web_hook_id: 1 } });
    expect(status).toBe(200);
    expect(body.outcome).toBe('ping');
    const view = await h.server.fetch('/v1/integrations/greenhouse', { headers: bearer(org.tokens.admin) });
    expect(((await view.json()) as { lastPingAt: string | null }).lastPingAt).not.toBeNull();
  });

  it('screens a new application: downloads the resume, answers exactly 200, and drafts it once', async () => {
    const url = h.files.file('/gh/priya.txt', resumeBytes, 'text/plain');
    const drafted = h.drafter.calls;
    const { status, body } = await send(newApplication(url), 'evt-first');
    expect(status).toBe(200);
    expect(body.outcome).toBe('screened');
    expect(body.screeningId).toMatch(/^scr_/);
    const done = await waitForStatus(h.server.fetch, org.tokens.reviewer, body.screeningId ?? '', [
      'drafted',
      'failed',
    ]);
    expect(done.screening).toMatchObject({
      status: 'drafted',
      source: 'webhook',
      createdBy: 'usr_integration-greenhouse',
      candidate: {
        name: 'Priya Raman',
        email: 'priya@example.test',
        externalId: `greenhouse:application:${nextApplication}`,
        position: 'Senior Python Engineer',
      },
    });
    expect(h.drafter.calls - drafted).toBe(1);
    expect(h.files.hits('/gh/priya.txt')).toBe(1);
    expect((await org.delivery('greenhouse', 'evt-first')).outcome).toBe('screened');
  });

  it('answers a redelivery (same Greenhouse-Event-ID) with the same screening, without downloading or drafting again', async () => {
    const url = h.files.file('/gh/redeliver.txt', resumeBytes, 'text/plain');
    const payload = newApplication(url);
    const first = await send(payload, 'evt-redeliver');
    await waitForStatus(h.server.fetch, org.tokens.reviewer, first.body.screeningId ?? '', ['drafted']);
    const drafted = h.drafter.calls;
    const again = await send(payload, 'evt-redeliver');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'duplicate', screeningId: first.body.screeningId });
    expect(h.files.hits('/gh/redeliver.txt')).toBe(1);
    expect(h.drafter.calls).toBe(drafted);
  });

  it('treats the same application resent under a new event id as a duplicate', async () => {
    const url = h.files.file('/gh/resent.txt', resumeBytes, 'text/plain');
    const payload = newApplication(url);
    const first = await send(payload, 'evt-resent-1');
    const second = await send(payload, 'evt-resent-2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ outcome: 'duplicate', screeningId: first.body.screeningId });
    expect(h.files.hits('/gh/resent.txt')).toBe(1);
  });

  it('refuses a forged, missing or re-serialised signature with 401 and counts the failures', async () => {
    const url = h.files.file('/gh/forged.txt', resumeBytes, 'text/plain');
    // Greenhouse escapes non-ASCII as \uXXXX before signing: only the raw bytes verify.
    const raw = JSON.stringify(newApplication(url)).replace('"Priya"', '"Ren\\u00e9e"');
    const genuine = await org.deliver('greenhouse', raw, greenhouseHeaders(key, raw));
    expect(genuine.status).toBe(200);

    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    const tampered = await org.deliver('greenhouse', reserialised, greenhouseHeaders(key, raw));
    expect(tampered.status).toBe(401);
    const wrongKey = await org.deliver('greenhouse', raw, greenhouseHeaders(secret(), raw));
    expect(wrongKey.status).toBe(401);
    const missing = await org.deliver('greenhouse', raw, { 'greenhouse-event-id': 'evt-nosig' });
    expect(missing.status).toBe(401);
    const withEquals = await org.deliver('greenhouse', raw, {
      signature: greenhouseHeaders(key, raw).signature.replace('sha256 ', 'sha256='),
    });
    expect(withEquals.status).toBe(401);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('signature_invalid');

    const view = await h.server.fetch('/v1/integrations/greenhouse', { headers: bearer(org.tokens.admin) });
    expect(((await view.json()) as { signatureFailures: number }).signatureFailures).toBeGreaterThanOrEqual(
      4,
    );
    expect(h.files.hits('/gh/forged.txt')).toBe(1); // only the genuine delivery downloaded
  });

  it('acknowledges and records an event type it does not handle', async () => {
    const { status, body } = await send(
      { action: 'offer_created', payload: { offer: { id: 1 } } },
      'evt-offer',
    );
    expect(status).toBe(200);
    expect(body.outcome).toBe('ignored');
    expect(await org.delivery('greenhouse', 'evt-offer')).toMatchObject({
      outcome: 'ignored',
      event: 'offer_created',
    });
  });

  it('answers 400 to a signed payload that is not the documented shape, and records it', async () => {
    const { status, body } = await send(
      { action: 'new_candidate_application', payload: { application: { id: 'x y' } } },
      'evt-bad',
    );
    expect(status).toBe(400);
    expect(body.error?.code).toBe('malformed_payload');
    expect(await org.delivery('greenhouse', 'evt-bad')).toMatchObject({
      outcome: 'malformed',
      httpStatus: 400,
    });
  });

  it('acknowledges an application without a resume and records why nothing was screened', async () => {
    const { status, body } = await send(newApplication(null), 'evt-noresume');
    expect(status).toBe(200);
    expect(body).toMatchObject({ outcome: 'rejected', reason: { code: 'no_resume' } });
    expect(await org.delivery('greenhouse', 'evt-noresume')).toMatchObject({
      outcome: 'rejected',
      reason: { code: 'no_resume' },
    });
  });

  it('screens on application_updated only an application it has seen without a screening (a resume added later)', async () => {
    const unseen = greenhouseApplication({
      applicationId: ++nextApplication,
      resumeUrl: null,
      action: 'application_updated',
    });
    expect((await send(unseen, 'evt-upd-unseen')).body).toMatchObject({
      outcome: 'ignored',
      reason: { code: 'application_not_seen' },
    });

    const applicationId = ++nextApplication;
    const withoutResume = greenhouseApplication({ applicationId, resumeUrl: null });
    expect((await send(withoutResume, 'evt-upd-1')).body.outcome).toBe('rejected');
    const url = h.files.file('/gh/added-later.txt', resumeBytes, 'text/plain');
    const updated = greenhouseApplication({ applicationId, resumeUrl: url, action: 'application_updated' });
    const screened = await send(updated, 'evt-upd-2');
    expect(screened.body.outcome).toBe('screened');
    const later = await send(updated, 'evt-upd-3'); // a stage change afterwards: nothing new
    expect(later.body).toMatchObject({ outcome: 'duplicate', screeningId: screened.body.screeningId });
    expect(h.files.hits('/gh/added-later.txt')).toBe(1);
  });

  it('refuses a webhook body over the limit with 413 before reading it all', async () => {
    const big = JSON.stringify({ action: 'ping', padding: 'x'.repeat(2 * 1024 * 1024) });
    // Its own connection: the server answers early and closes it, which would break a pooled one.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${h.server.baseUrl}/webhooks/greenhouse/${org.orgId}`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...greenhouseHeaders(key, big) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(big);
    });
    expect(status).toBe(413);
  });

  it('keeps a file it cannot read as a failed screening, acknowledges it and never retries it', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([612, 792]).drawRectangle({ x: 50, y: 50, width: 500, height: 700 }); // scanned: no text layer
    const url = h.files.file('/gh/scanned.pdf', await doc.save(), 'application/pdf');
    const payload = newApplication(url);
    const { status, body } = await send(payload, 'evt-scanned');
    expect(status).toBe(200);
    expect(body.outcome).toBe('rejected');
    expect(body.screeningId).toMatch(/^scr_/);
    const record = await h.server.fetch(`/v1/screenings/${body.screeningId}`, {
      headers: bearer(org.tokens.reviewer),
    });
    expect(((await record.json()) as { screening: { status: string } }).screening.status).toBe('failed');
    const again = await send(payload, 'evt-scanned');
    expect(again.body).toMatchObject({ outcome: 'rejected', screeningId: body.screeningId });
    expect(h.files.hits('/gh/scanned.pdf')).toBe(1);
  });

  it('refuses an oversized attachment (streamed, stopped at the limit) and records it', async () => {
    const url = h.files.chunked('/gh/huge.pdf', 5 * 1024 * 1024);
    const { status, body } = await send(newApplication(url), 'evt-huge');
    expect(status).toBe(200);
    expect(body).toMatchObject({ outcome: 'rejected', reason: { code: 'file_too_large' } });
  });

  it('answers 503 to a slow attachment or a file server 5xx, and screens once when Greenhouse retries', async () => {
    const slow = h.files.trickle('/gh/slow.pdf', 8, 40);
    const timedOut = await send(newApplication(slow), 'evt-slow');
    expect(timedOut.status).toBe(503);
    expect(await org.delivery('greenhouse', 'evt-slow')).toMatchObject({
      status: 'retryable',
      httpStatus: 503,
    });

    const url = h.files.file('/gh/flaky.txt', resumeBytes, 'text/plain');
    h.files.failNext('/gh/flaky.txt', 503);
    const payload = newApplication(url);
    const first = await send(payload, 'evt-flaky');
    expect(first.status).toBe(503);
    expect(await org.delivery('greenhouse', 'evt-flaky')).toMatchObject({
      status: 'retryable',
      reason: { code: 'attachment_unavailable' },
    });
    const retried = await send(payload, 'evt-flaky');
    expect(retried.status).toBe(200);
    expect(retried.body.outcome).toBe('screened');
    const again = await send(payload, 'evt-flaky');
    expect(again.body).toMatchObject({ outcome: 'duplicate', screeningId: retried.body.screeningId });
    expect(await org.delivery('greenhouse', 'evt-flaky')).toMatchObject({ attempts: 2, outcome: 'screened' });
  });

  it('refuses an attachment URL that redirects to a private address, or points off the allow-list', async () => {
    const toMetadata = h.files.redirect('/gh/moved.pdf', 'http://169.254.169.254/latest/meta-data/');
    const offList = await send(newApplication(toMetadata), 'evt-ssrf');
    expect(offList.status).toBe(200);
    expect(offList.body).toMatchObject({
      outcome: 'rejected',
      reason: { code: 'attachment_host_not_allowed' },
    });

    // Even an allow-list that names the addresses does not let a private or link-local address through.
    const careless = await h.newOrg();
    const carelessKey = secret();
    await careless.configure('greenhouse', {
      webhookSecret: carelessKey,
      allowedDownloadHosts: ['127.0.0.1', '169.254.169.254', '10.1.2.3'],
    });
    const toPrivate = h.files.redirect('/gh/moved-private.pdf', 'http://10.1.2.3/resume.pdf');
    for (const [url, id] of [
      [toMetadata, 'evt-ssrf-2'],
      [toPrivate, 'evt-ssrf-3'],
      ['http://169.254.169.254/latest/meta-data/', 'evt-ssrf-4'],
    ] as const) {
      const body = JSON.stringify(newApplication(url));
      const res = await careless.deliver('greenhouse', body, greenhouseHeaders(carelessKey, body, id));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        outcome: 'rejected',
        reason: { code: 'attachment_address_forbidden' },
      });
    }
    const elsewhere = await send(newApplication('https://attacker.example.test/r.pdf'), 'evt-elsewhere');
    expect(elsewhere.body).toMatchObject({
      outcome: 'rejected',
      reason: { code: 'attachment_host_not_allowed' },
    });
  });

  it('answers 404 for an organisation or vendor without an enabled integration', async () => {
    const body = JSON.stringify(newApplication(null));
    const other = await h.newOrg();
    expect((await other.deliver('greenhouse', body, greenhouseHeaders(key, body))).status).toBe(404);
    expect((await org.deliver('workable', body, greenhouseHeaders(key, body))).status).toBe(404);
    expect((await h.server.fetch('/webhooks/greenhouse/not-an-org', { method: 'POST', body })).status).toBe(
      404,
    );
    const disabled = await h.newOrg();
    expect((await disabled.configure('greenhouse', { enabled: false })).status).toBe(200);
    expect((await disabled.deliver('greenhouse', body, greenhouseHeaders(key, body))).status).toBe(404);
  });
});
