import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher } from '../../tests/support/http';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from './app';
import { AuditList, CreatedToken, SignInLinkView, TokenList, UserList, UserView } from './review-schemas';

// Users, API tokens and the organisation's audit trail through `app.request`, against DynamoDB Local.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

const send = (method: string, path: string, token: string, body?: unknown) =>
  request(path, {
    method,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('/v1/users', () => {
  it('is for admins only', async () => {
    for (const role of ['recruiter', 'reviewer'] as const) {
      expect((await send('GET', '/v1/users', org.tokens[role])).status).toBe(403);
      expect(
        (await send('POST', '/v1/users', org.tokens[role], { email: 'x@y.z', name: 'X', role })).status,
      ).toBe(403);
    }
  });

  it('creates, lists, changes and deactivates users; a deactivated user’s session stops working', async () => {
    const fresh = await t.newOrg();
    const created = await send('POST', '/v1/users', fresh.tokens.admin, {
      email: 'lena@example.test',
      name: 'Lena',
      role: 'reviewer',
    });
    expect(created.status).toBe(201);
    const lena = UserView.parse(await created.json());
    expect(lena).toMatchObject({ name: 'Lena', role: 'reviewer', active: true });
    const duplicate = await send('POST', '/v1/users', fresh.tokens.admin, {
      email: 'LENA@example.test',
      name: 'Lena again',
      role: 'recruiter',
    });
    expect(duplicate.status).toBe(409);
    expect(
      (await send('POST', '/v1/users', fresh.tokens.admin, { email: 'nope', name: 'N', role: 'admin' }))
        .status,
    ).toBe(400);

    const list = UserList.parse(await (await send('GET', '/v1/users', fresh.tokens.admin)).json());
    expect(list.items.map((u) => u.name).sort()).toEqual(['Lena', 'admin', 'recruiter', 'reviewer']);
    // Another organisation's users are not there, and cannot be changed.
    expect(list.items.map((u) => u.id)).not.toContain(org.principals.admin.userId);
    expect(
      (
        await send('PATCH', `/v1/users/${org.principals.reviewer.userId}`, fresh.tokens.admin, {
          role: 'admin',
        })
      ).status,
    ).toBe(404);

    // A sign-in link works once and gives a session.
    const linkRes = await send('POST', `/v1/users/${lena.id}/sign-in-links`, fresh.tokens.admin);
    expect(linkRes.status).toBe(201);
    const link = SignInLinkView.parse(await linkRes.json());
    expect(link.url).toContain(`/sign-in?code=${encodeURIComponent(link.code)}`);
    const now = new Date();
    const user = await t.services.sessions.consumeSignInLink(link.code, now);
    expect(user?.id).toBe(lena.id);
    expect(await t.services.sessions.consumeSignInLink(link.code, now)).toBeNull();
    if (!user) throw new Error('the link did not sign in');
    const session = await t.services.sessions.create(user, 3600, now);
    expect((await t.services.sessions.resolve(session.value, now))?.principal).toMatchObject({
      userId: lena.id,
      role: 'reviewer',
      via: 'session',
    });

    const promoted = await send('PATCH', `/v1/users/${lena.id}`, fresh.tokens.admin, { role: 'admin' });
    expect(UserView.parse(await promoted.json()).role).toBe('admin');
    // The session follows the user as they are now.
    expect((await t.services.sessions.resolve(session.value, now))?.principal.role).toBe('admin');
    const off = await send('PATCH', `/v1/users/${lena.id}`, fresh.tokens.admin, { active: false });
    expect(UserView.parse(await off.json()).active).toBe(false);
    expect(await t.services.sessions.resolve(session.value, now)).toBeNull();
    expect((await send('POST', `/v1/users/${lena.id}/sign-in-links`, fresh.tokens.admin)).status).toBe(409);

    const self = await send('PATCH', `/v1/users/${fresh.principals.admin.userId}`, fresh.tokens.admin, {
      active: false,
    });
    expect(self.status).toBe(409);
    expect(await codeOf(self)).toBe('own_account');
    expect((await send('PATCH', `/v1/users/${lena.id}`, fresh.tokens.admin, {})).status).toBe(400);
  });
});

describe('/v1/tokens', () => {
  it('creates a token that works, lists it without its secret, and revokes it', async () => {
    const fresh = await t.newOrg();
    const created = await send('POST', '/v1/tokens', fresh.tokens.admin, {
      userId: fresh.principals.recruiter.userId,
      label: 'Lever',
    });
    expect(created.status).toBe(201);
    const { token, info } = CreatedToken.parse(await created.json());
    expect(info).toMatchObject({ label: 'Lever', role: 'recruiter', revokedAt: null });
    expect((await send('GET', '/v1/screenings', token)).status).toBe(200);

    const listRes = await send('GET', '/v1/tokens', fresh.tokens.admin);
    const raw = await listRes.text();
    expect(raw).not.toContain(token.split('.')[2]);
    const list = TokenList.parse(JSON.parse(raw));
    expect(list.items.map((x) => x.label)).toContain('Lever');

    expect((await send('DELETE', `/v1/tokens/${info.tokenId}`, fresh.tokens.reviewer)).status).toBe(403);
    // Another organisation's admin cannot revoke it.
    expect((await send('DELETE', `/v1/tokens/${info.tokenId}`, org.tokens.admin)).status).toBe(404);
    const revoked = await send('DELETE', `/v1/tokens/${info.tokenId}`, fresh.tokens.admin);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await send('GET', '/v1/screenings', token)).status).toBe(401);
    expect(
      (await send('POST', '/v1/tokens', fresh.tokens.admin, { userId: 'usr_nobody', label: 'x' })).status,
    ).toBe(404);
  });
});

describe('/v1/audit', () => {
  it('serves the organisation’s events newest first, paginated, to admins only', async () => {
    const fresh = await t.newOrg();
    await send('POST', '/v1/users', fresh.tokens.admin, {
      email: 'a@example.test',
      name: 'A',
      role: 'recruiter',
    });
    const created = CreatedToken.parse(
      await (
        await send('POST', '/v1/tokens', fresh.tokens.admin, {
          userId: fresh.principals.reviewer.userId,
          label: 'T',
        })
      ).json(),
    );
    await send('DELETE', `/v1/tokens/${created.info.tokenId}`, fresh.tokens.admin);

    expect((await send('GET', '/v1/audit', fresh.tokens.reviewer)).status).toBe(403);
    const all = AuditList.parse(await (await send('GET', '/v1/audit', fresh.tokens.admin)).json());
    expect(all.items.map((e) => e.action)).toEqual(['token.revoked', 'token.created', 'user.created']);
    expect(all.items[0]).toMatchObject({
      actor: { userId: fresh.principals.admin.userId, role: 'admin', via: 'token' },
      target: { type: 'token', id: created.info.tokenId },
      before: { revokedAt: null },
    });

    const page1 = AuditList.parse(await (await send('GET', '/v1/audit?limit=2', fresh.tokens.admin)).json());
    expect(page1.items).toHaveLength(2);
    const page2 = AuditList.parse(
      await (await send('GET', `/v1/audit?limit=2&cursor=${page1.nextCursor}`, fresh.tokens.admin)).json(),
    );
    expect(page2.items.map((e) => e.action)).toEqual(['user.created']);
    // A cursor is only good for the organisation it came from.
    const foreign = await send('GET', `/v1/audit?cursor=${page1.nextCursor}`, org.tokens.admin);
    expect(foreign.status).toBe(400);
    expect(await codeOf(foreign)).toBe('invalid_cursor');
    // And no other organisation's events show up.
    const theirs = AuditList.parse(await (await send('GET', '/v1/audit', org.tokens.admin)).json());
    expect(theirs.items.map((e) => e.target.id)).not.toContain(created.info.tokenId);
  });
});
