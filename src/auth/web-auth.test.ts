import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import { contentSecurityPolicy } from '../web/layout';
import { safeNext } from '../web/sign-in-pages';

// Sign-in, session cookies and CSRF through `app.request` with full URLs, so the host decides the cookie flags.
let t: TestServices;
let org: TestOrg;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  org = await t.newOrg();
  app = createApp(t.services);
});
afterAll(() => t.close());

const cookieValue = (setCookie: string, name: string) =>
  new RegExp(`(?:^|, )${name}=([^;]+)`).exec(setCookie)?.[1];

async function signIn(origin: string, next = '/queue') {
  const user = await t.services.auth.getUser(org.orgId, org.principals.reviewer.userId);
  if (!user) throw new Error('no user');
  const { code } = await t.services.sessions.issueSignInLink(user, { ttlSeconds: 600 }, new Date());
  const page = await app.request(`${origin}/sign-in?code=${encodeURIComponent(code)}`);
  const secure = origin !== 'http://127.0.0.1:8787';
  const csrfCookie = secure ? '__Host-vetline_csrf' : 'vetline_csrf';
  const pageCookies = page.headers.get('set-cookie') ?? '';
  const csrf = cookieValue(pageCookies, csrfCookie) ?? '';
  const post = (token: string) =>
    app.request(`${origin}/sign-in`, {
      method: 'POST',
      headers: {
        cookie: `${csrfCookie}=${csrf}`,
        origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: token, code, next }).toString(),
    });
  return { page, pageCookies, csrf, code, post };
}

describe('session cookies', () => {
  it('are __Host- prefixed, Secure, HttpOnly and SameSite=Lax off loopback, and expire with the session', async () => {
    for (const origin of ['https://vetline.example.com', 'http://vetline.internal']) {
      const { page, pageCookies, post } = await signIn(origin);
      expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(pageCookies).toMatch(/__Host-vetline_csrf=[^;]+; .*HttpOnly; Secure; SameSite=Lax/);
      const res = await post(cookieValue(pageCookies, '__Host-vetline_csrf') ?? '');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/queue');
      const set = res.headers.get('set-cookie') ?? '';
      expect(set).toMatch(
        /__Host-vetline_session=vss\.[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax/,
      );
      const value = cookieValue(set, '__Host-vetline_session') ?? '';
      const session = await t.services.sessions.resolve(value, new Date());
      const hours = ((session?.expiresAt.getTime() ?? 0) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);
      // The cookie opens the pages; without it they send the browser to sign in.
      const queue = await app.request(`${origin}/queue`, {
        headers: { cookie: `__Host-vetline_session=${value}` },
      });
      expect(queue.status).toBe(200);
      expect(queue.headers.get('cache-control')).toBe('no-store');
      const signedOut = await app.request(`${origin}/queue`);
      expect(signedOut.status).toBe(303);
      expect(signedOut.headers.get('location')).toBe('/sign-in?next=%2Fqueue');
    }
  });

  it('are not Secure on a loopback address over plain HTTP, where local development runs', async () => {
    const { pageCookies, post } = await signIn('http://127.0.0.1:8787');
    expect(pageCookies).not.toContain('Secure');
    const res = await post(cookieValue(pageCookies, 'vetline_csrf') ?? '');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^vetline_session=vss\./);
    expect(set).toContain('HttpOnly');
    expect(set).not.toContain('Secure');
  });
});

describe('signing in again', () => {
  it('ends the session behind the previous cookie, and leaves other sessions alone', async () => {
    const origin = 'https://vetline.example.com';
    const first = await signIn(origin);
    const firstRes = await first.post(cookieValue(first.pageCookies, '__Host-vetline_csrf') ?? '');
    const old = cookieValue(firstRes.headers.get('set-cookie') ?? '', '__Host-vetline_session') ?? '';
    expect(await t.services.sessions.resolve(old, new Date())).not.toBeNull();
    // The same user signed in elsewhere: another browser's session, which this sign-in must not touch.
    const user = await t.services.auth.getUser(org.orgId, org.principals.reviewer.userId);
    if (!user) throw new Error('no user');
    const elsewhere = await t.services.sessions.create(user, 600, new Date());

    const second = await signIn(origin);
    const csrf = cookieValue(second.pageCookies, '__Host-vetline_csrf') ?? '';
    const res = await app.request(`${origin}/sign-in`, {
      method: 'POST',
      headers: {
        cookie: `__Host-vetline_csrf=${csrf}; __Host-vetline_session=${old}`,
        origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, code: second.code, next: '/queue' }).toString(),
    });
    expect(res.status).toBe(303);
    const fresh = cookieValue(res.headers.get('set-cookie') ?? '', '__Host-vetline_session') ?? '';
    expect(fresh).not.toBe(old);
    expect(await t.services.sessions.resolve(fresh, new Date())).not.toBeNull();
    expect(await t.services.sessions.resolve(old, new Date())).toBeNull();
    const withOld = await app.request(`${origin}/queue`, {
      headers: { cookie: `__Host-vetline_session=${old}` },
    });
    expect(withOld.status).toBe(303);
    expect(await t.services.sessions.resolve(elsewhere.value, new Date())).not.toBeNull();
  });
});

describe('sign-in CSRF and redirects', () => {
  it('refuses a sign-in post without the form’s token, and does not use the link up', async () => {
    const { post, code } = await signIn('https://vetline.example.com');
    const res = await post('forged');
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('vetline_session');
    expect(await t.services.sessions.peekSignInLink(code, new Date())).not.toBeNull();
  });

  it('only follows local paths after sign-in', () => {
    expect(safeNext('/screenings/scr_1?x=1')).toBe('/screenings/scr_1?x=1');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      undefined,
    ])
      expect(safeNext(bad)).toBe('/');
  });

  it('answers a form post without a session with 401, and one without its token with 403', async () => {
    const unsigned = await app.request('https://vetline.example.com/sign-out', { method: 'POST' });
    expect(unsigned.status).toBe(303);
    const upload = await app.request('https://vetline.example.com/upload', { method: 'POST' });
    expect(upload.status).toBe(401);
    expect(await upload.text()).toContain('Sign in');
    const user = await t.services.auth.getUser(org.orgId, org.principals.recruiter.userId);
    if (!user) throw new Error('no user');
    const session = await t.services.sessions.create(user, 600, new Date());
    const noToken = await app.request('https://vetline.example.com/upload', {
      method: 'POST',
      headers: {
        cookie: `__Host-vetline_session=${session.value}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'candidateName=x',
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('The form has expired');
  });
});
