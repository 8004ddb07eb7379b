import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher } from '../../tests/support/http';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import { createLogger } from '../core/logger';

// The admin API for integration settings, through `app.request` against real services (DynamoDB Local).
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
const logLines: string[] = [];
const webhookSecret = 'gh-secret-7c1f0a9e5d3b4f2a';
const apiKey = 'lever-key-4b8e2d1c9f7a6e5d';

beforeAll(async () => {
  t = await createTestServices({ env: { VETLINE_PUBLIC_URL: 'https://vetline.example.com/' } });
  t.services.logger = createLogger('debug', {}, (line) => logLines.push(line));
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

const put = (token: string, vendor: string, body: unknown) =>
  request(`/v1/integrations/${vendor}`, {
    method: 'PUT',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('/v1/integrations', () => {
  it('is for admins only', async () => {
    expect((await request('/v1/integrations')).status).toBe(401);
    expect((await request('/v1/integrations', { headers: bearer(org.tokens.recruiter) })).status).toBe(403);
    expect((await put(org.tokens.reviewer, 'greenhouse', { webhookSecret })).status).toBe(403);
    expect((await request('/v1/integrations', { headers: bearer(org.tokens.admin) })).status).toBe(200);
  });

  it('stores settings with vendor defaults and never returns or logs the secrets', async () => {
    const res = await put(org.tokens.admin, 'lever', { webhookSecret, apiKey });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain(apiKey);
    expect(JSON.parse(text)).toMatchObject({
      vendor: 'lever',
      enabled: true,
      webhookSecretSet: true,
      apiKeySet: true,
      apiBaseUrl: 'https://api.lever.co/v1',
      allowedDownloadHosts: ['api.lever.co', '*.s3.amazonaws.com'],
      integrationUserId: 'usr_integration-lever',
      webhookPath: `/webhooks/lever/${org.orgId}`,
      webhookUrl: `https://vetline.example.com/webhooks/lever/${org.orgId}`,
    });
    for (const path of ['/v1/integrations', '/v1/integrations/lever']) {
      const body = await (await request(path, { headers: bearer(org.tokens.admin) })).text();
      expect(body).not.toContain(webhookSecret);
      expect(body).not.toContain(apiKey);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(webhookSecret);
    expect(logLines.join('\n')).not.toContain(apiKey);
  });

  it('creates the integration user the webhooks act as, with the recruiter role', async () => {
    await put(org.tokens.admin, 'greenhouse', { webhookSecret });
    const stored = await t.services.integrations.get(org.orgId, 'greenhouse');
    expect(stored?.integrationUserId).toBe('usr_integration-greenhouse');
    // Configuring again neither fails nor duplicates the user.
    expect((await put(org.tokens.admin, 'greenhouse', { webhookSecret })).status).toBe(200);
  });

  it('keeps a secret that is left out, clears one sent as null, and refuses an enabled integration without it', async () => {
    expect(
      (await put(org.tokens.admin, 'lever', { allowedDownloadHosts: ['files.example.com'] })).status,
    ).toBe(200);
    const kept = await t.services.integrations.get(org.orgId, 'lever');
    expect(kept).toMatchObject({ webhookSecret, apiKey, allowedDownloadHosts: ['files.example.com'] });
    const cleared = await put(org.tokens.admin, 'lever', { webhookSecret: null });
    expect(cleared.status).toBe(400);
    expect(((await cleared.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'webhookSecret',
    );
    expect((await put(org.tokens.admin, 'lever', { enabled: false, webhookSecret: null })).status).toBe(200);
    expect(await t.services.integrations.get(org.orgId, 'lever')).toMatchObject({
      enabled: false,
      webhookSecret: null,
    });
  });

  it('refuses settings that cannot work or do not apply', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['ashby', { webhookSecret }, 'apiKey'],
      ['ashby', { apiKey, allowUnsigned: false }, 'webhookSecret'],
      ['greenhouse', { webhookSecret, allowUnsigned: true }, 'allowUnsigned'],
      ['greenhouse', { webhookSecret, apiKey }, 'apiKey'],
      ['lever', { webhookSecret, apiKey, apiBaseUrl: 'http://lever.internal/v1' }, 'apiBaseUrl'],
      ['lever', { webhookSecret, apiKey, allowedDownloadHosts: ['*'] }, 'allowedDownloadHosts.0'],
      ['lever', { webhookSecret: 'short', apiKey }, 'webhookSecret'],
      ['lever', { webhookSecret, apiKey, unknownField: 1 }, '(body)'],
    ];
    for (const [vendor, body, field] of cases) {
      const res = await put(org.tokens.admin, vendor, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as { error: { details: { field: string } } }).error;
      expect(error.details.field, JSON.stringify(body)).toBe(field);
    }
    expect((await put(org.tokens.admin, 'workable', { webhookSecret })).status).toBe(400);
  });

  it('keeps organisations apart and deletes', async () => {
    const other = await t.newOrg();
    expect(
      (await request('/v1/integrations/greenhouse', { headers: bearer(other.tokens.admin) })).status,
    ).toBe(404);
    const del = await request('/v1/integrations/greenhouse', {
      method: 'DELETE',
      headers: bearer(org.tokens.admin),
    });
    expect(del.status).toBe(204);
    expect((await request('/v1/integrations/greenhouse', { headers: bearer(org.tokens.admin) })).status).toBe(
      404,
    );
    const again = await request('/v1/integrations/greenhouse', {
      method: 'DELETE',
      headers: bearer(org.tokens.admin),
    });
    expect(again.status).toBe(404);
  });

  it('looks up a delivery record, 404 for one that does not exist', async () => {
    const res = await request('/v1/integrations/lever/deliveries/nope', {
      headers: bearer(org.tokens.admin),
    });
    expect(res.status).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await (await request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/integrations',
        '/v1/integrations/{vendor}',
        '/v1/integrations/{vendor}/deliveries/{deliveryId}',
      ]),
    );
  });
});
