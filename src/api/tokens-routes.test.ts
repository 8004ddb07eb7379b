import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearer } from '../../tests/support/http';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { AuthStore } from '../auth/auth-store';
import { effectiveRole } from '../auth/roles';
import { createDocumentClient } from '../store/dynamo';
import { createApp } from './app';
import { CreatedToken, TokenList, UserView } from './review-schemas';

// An API token acts as its user as they are now: through `app.request`, against DynamoDB Local.
let t: TestServices;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  app = createApp(t.services);
});
afterAll(() => t.close());

const send = (method: string, path: string, token: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function newUser(org: TestOrg, name: string, role: string) {
  const res = await send('POST', '/v1/users', org.tokens.admin, {
    email: `${name.toLowerCase()}@example.test`,
    name,
    role,
  });
  expect(res.status).toBe(201);
  return UserView.parse(await res.json());
}

async function newToken(org: TestOrg, userId: string, role?: string) {
  const res = await send('POST', '/v1/tokens', org.tokens.admin, {
    userId,
    label: 'integration',
    ...(role ? { role } : {}),
  });
  expect(res.status).toBe(201);
  return CreatedToken.parse(await res.json());
}

const change = (org: TestOrg, userId: string, body: Record<string, unknown>) =>
  send('PATCH', `/v1/users/${userId}`, org.tokens.admin, body);

describe('a token acts as its user, now', () => {
  it('stops at once when its admin user is deactivated (no listing users, no creating an admin), and works again on reactivation', async () => {
    const org = await t.newOrg();
    const mira = await newUser(org, 'Mira', 'admin');
    const { token } = await newToken(org, mira.id);
    expect((await send('GET', '/v1/users', token)).status).toBe(200);

    expect((await change(org, mira.id, { active: false })).status).toBe(200);
    const listed = await send('GET', '/v1/users', token);
    expect(listed.status).toBe(401);
    expect(listed.headers.get('www-authenticate')).toBe('Bearer realm="vetline"');
    const escalate = await send('POST', '/v1/users', token, {
      email: 'shadow@example.test',
      name: 'Shadow',
      role: 'admin',
    });
    expect(escalate.status).toBe(401);
    expect((await send('GET', '/v1/screenings', token)).status).toBe(401);
    const users = await t.services.auth.listUsers(org.orgId);
    expect(users.map((u) => u.name)).not.toContain('Shadow');

    // Deactivation does not revoke: the token is the user's again once they are back.
    expect((await change(org, mira.id, { active: true })).status).toBe(200);
    expect((await send('GET', '/v1/users', token)).status).toBe(200);
  });

  it('follows a demotion at once, and a later promotion only back up to what it was granted', async () => {
    const org = await t.newOrg();
    const noor = await newUser(org, 'Noor', 'admin');
    const { token } = await newToken(org, noor.id);
    expect((await send('GET', '/v1/tokens', token)).status).toBe(200);

    await change(org, noor.id, { role: 'reviewer' });
    const demoted = await send('GET', '/v1/tokens', token);
    expect(demoted.status).toBe(403);
    expect(await codeOf(demoted)).toBe('forbidden');
    expect((await send('GET', '/v1/screenings', token)).status).toBe(200);
    expect((await t.services.auth.resolveToken(token))?.role).toBe('reviewer');

    await change(org, noor.id, { role: 'admin' });
    expect((await send('GET', '/v1/tokens', token)).status).toBe(200);

    // A recruiter's token does not become an admin's when its user is promoted.
    const sam = await newUser(org, 'Sam', 'recruiter');
    const recruiterToken = (await newToken(org, sam.id)).token;
    await change(org, sam.id, { role: 'admin' });
    expect((await send('GET', '/v1/users', recruiterToken)).status).toBe(403);
    expect((await t.services.auth.resolveToken(recruiterToken))?.role).toBe('recruiter');
    // A recruiter's token whose user is now a reviewer has no role left: it answers 401 until the roles fit again.
    await change(org, sam.id, { role: 'reviewer' });
    expect((await send('GET', '/v1/screenings', recruiterToken)).status).toBe(401);
    await change(org, sam.id, { role: 'recruiter' });
    expect((await send('GET', '/v1/screenings', recruiterToken)).status).toBe(200);
  });

  it('can be issued with less than its user’s role, never more', async () => {
    const org = await t.newOrg();
    const admin = org.principals.admin.userId;
    const narrow = await newToken(org, admin, 'recruiter');
    expect(narrow.info).toMatchObject({ userId: admin, role: 'recruiter' });
    expect((await send('GET', '/v1/users', narrow.token)).status).toBe(403);
    expect((await send('GET', '/v1/screenings', narrow.token)).status).toBe(200);

    const wider = await send('POST', '/v1/tokens', org.tokens.admin, {
      userId: org.principals.recruiter.userId,
      label: 'too much',
      role: 'admin',
    });
    expect(wider.status).toBe(400);
    expect(await codeOf(wider)).toBe('role_exceeds_user');
    const sideways = await send('POST', '/v1/tokens', org.tokens.admin, {
      userId: org.principals.recruiter.userId,
      label: 'other role',
      role: 'reviewer',
    });
    expect(sideways.status).toBe(400);
    const list = TokenList.parse(await (await send('GET', '/v1/tokens', org.tokens.admin)).json());
    expect(list.items.map((x) => x.label)).not.toContain('too much');
    expect(list.items.find((x) => x.tokenId === narrow.info.tokenId)?.role).toBe('recruiter');
  });

  it('resolves with two DynamoDB reads, the token and then its user', async () => {
    const org = await t.newOrg();
    const db = createDocumentClient({
      endpoint: inject('dynamoEndpoint'),
      region: t.services.config.dynamo.region,
    });
    const sent: string[] = [];
    db.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '?');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    try {
      const auth = new AuthStore(db, t.tableName);
      expect(await auth.resolveToken(org.tokens.reviewer)).toMatchObject({ role: 'reviewer' });
    } finally {
      db.destroy();
    }
    expect(sent).toEqual(['GetItemCommand', 'GetItemCommand']);
  });
});

describe('effectiveRole', () => {
  it('is what both the grant and the user’s current role allow', () => {
    expect(effectiveRole('admin', 'reviewer')).toBe('reviewer');
    expect(effectiveRole('recruiter', 'admin')).toBe('recruiter');
    expect(effectiveRole('reviewer', 'reviewer')).toBe('reviewer');
    expect(effectiveRole('recruiter', 'reviewer')).toBeNull();
    expect(effectiveRole('reviewer', 'recruiter')).toBeNull();
  });
});
