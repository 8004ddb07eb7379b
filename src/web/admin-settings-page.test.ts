import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import type { Role } from '../auth/auth-store';
import { contentSecurityPolicy } from './layout';

// The settings page through `app.request` with a real session: admins only, CSRF, the audit trail. Real services.
let t: TestServices;
let org: TestOrg;
let app: ReturnType<typeof createApp>;
const origin = 'http://127.0.0.1:8787';

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  org = await t.newOrg();
  app = createApp(t.services);
});
afterAll(() => t.close());

async function sessionOf(role: Role) {
  const user = await t.services.auth.getUser(org.orgId, org.principals[role].userId);
  if (!user) throw new Error('no user');
  const session = await t.services.sessions.create(user, 600, new Date());
  const csrf = (await t.services.sessions.resolve(session.value, new Date()))?.csrf ?? '';
  return { cookie: `vetline_session=${session.value}`, csrf };
}

const post = (cookie: string, fields: Record<string, string>) =>
  app.request(`${origin}/admin/settings`, {
    method: 'POST',
    headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

const blind = async () => (await t.services.auth.getOrg(org.orgId))?.settings.blindScreening;

describe('/admin/settings', () => {
  it('refuses reviewers and recruiters, to look or to change', async () => {
    for (const role of ['reviewer', 'recruiter'] as const) {
      const { cookie, csrf } = await sessionOf(role);
      const page = await app.request(`${origin}/admin/settings`, { headers: { cookie } });
      expect(page.status).toBe(403);
      expect(await page.text()).not.toContain('name="blindScreening"');
      const change = await post(cookie, { _csrf: csrf, blindScreening: 'off' });
      expect(change.status).toBe(403);
    }
    expect(await blind()).toBe(true);
    // No session: sent to sign in.
    const signedOut = await app.request(`${origin}/admin/settings`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/sign-in?next=%2Fadmin%2Fsettings');
  });

  it('lets an admin turn blind screening off with the form’s token, under the strict CSP, and records it', async () => {
    const { cookie, csrf } = await sessionOf('admin');
    const page = await app.request(`${origin}/admin/settings`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const html = await page.text();
    expect(html).toContain('<strong id="blind-state">on</strong>');
    expect(html).toContain('href="/admin/settings" aria-current="page"');

    expect((await post(cookie, { blindScreening: 'off' })).status).toBe(403);
    expect((await post(cookie, { _csrf: 'forged', blindScreening: 'off' })).status).toBe(403);
    const crossSite = await app.request(`${origin}/admin/settings`, {
      method: 'POST',
      headers: {
        cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, blindScreening: 'off' }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(await blind()).toBe(true);

    const bad = await post(cookie, { _csrf: csrf, blindScreening: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose whether blind screening is on or off.');
    expect(await blind()).toBe(true);

    const saved = await post(cookie, { _csrf: csrf, blindScreening: 'off' });
    expect(saved.status).toBe(200);
    const savedHtml = await saved.text();
    expect(savedHtml).toContain('Saved: blind screening is off.');
    expect(savedHtml).toContain('<strong id="blind-state">off</strong>');
    expect(await blind()).toBe(false);

    const events = await t.services.reviews.listOrgEvents(org.orgId, { limit: 10 });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      action: 'org.settings_updated',
      actor: { userId: org.principals.admin.userId, role: 'admin', via: 'session' },
      target: { type: 'org', id: org.orgId },
      before: { blindScreening: true, resumeRubricId: null },
      after: { blindScreening: false, resumeRubricId: null },
    });
    const audit = await app.request(`${origin}/admin/audit`, { headers: { cookie } });
    expect(await audit.text()).toContain('changed the organisation’s settings');
  });

  it('lets an admin choose the organisation’s resume rubric from the catalogue, or the default, and records it', async () => {
    const rubricOf = async () => (await t.services.auth.getOrg(org.orgId))?.settings.resumeRubricId;
    const { cookie, csrf } = await sessionOf('admin');
    const html = await (await app.request(`${origin}/admin/settings`, { headers: { cookie } })).text();
    expect(html).toContain('<label for="resumeRubricId">Resume rubric</label>');
    expect(html).toContain(
      '<option value="senior-python-data-engineer">Senior Python data engineer (version 1.0.0)',
    );
    // Take-home rubrics are not offered for resumes.
    expect(html).not.toContain('value="senior-python-take-home"');

    expect((await post(cookie, { resumeRubricId: 'senior-python-data-engineer' })).status).toBe(403);
    const unknown = await post(cookie, { _csrf: csrf, resumeRubricId: 'senior-python-take-home' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('The rubric senior-python-take-home is not for resumes.');
    expect(await rubricOf()).toBeNull();

    const chosen = await post(cookie, { _csrf: csrf, resumeRubricId: 'senior-python-data-engineer' });
    expect(chosen.status).toBe(200);
    const chosenHtml = await chosen.text();
    expect(chosenHtml).toContain('Saved: resumes are drafted with Senior Python data engineer.');
    expect(chosenHtml).toContain('<strong id="rubric-state">Senior Python data engineer</strong>');
    expect(chosenHtml).toContain('<option value="senior-python-data-engineer" selected="">');
    expect(await rubricOf()).toBe('senior-python-data-engineer');
    // Blind screening, set in the other form, is left as it was.
    expect(await blind()).toBe(false);

    const reset = await post(cookie, { _csrf: csrf, resumeRubricId: '' });
    expect(await reset.text()).toContain('Saved: resumes are drafted with the default rubric.');
    expect(await rubricOf()).toBeNull();

    const events = await t.services.reviews.listOrgEvents(org.orgId, { limit: 10 });
    expect(events.items.slice(0, 2).map((e) => [e.before, e.after])).toEqual([
      [
        { blindScreening: false, resumeRubricId: 'senior-python-data-engineer' },
        { blindScreening: false, resumeRubricId: null },
      ],
      [
        { blindScreening: false, resumeRubricId: null },
        { blindScreening: false, resumeRubricId: 'senior-python-data-engineer' },
      ],
    ]);
  });
});
