import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/web/layout';
import { draftFromMaterial, type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server';
import { type LocalServer, startLocalServer } from '../support/local-server';
import {
  expectLabelledControls,
  launchChromium,
  screenshot,
  seedOrg,
  signIn,
  type WebOrg,
} from './browser-support';

// Untrusted text stays text, tenants stay apart, roles hold, forms need their token. The server drafts with the LLM
// drafter against the fake OpenAI-compatible server, scripted to answer with markup in its prose.
const payload = (tag: string) =>
  `<script>window.__xss='${tag}'</script><img src=x onerror="window.__xss='${tag}-img'">`;

const hostileResume = [
  'Jordan Example, Senior Python Engineer',
  `- Built async ingestion workers ${payload('quote')} handling 20k events/s`,
  `Summary: ${payload('resume')}`,
  '- Designed web apis in FastAPI with OAuth and rate limits',
  '- Tuned database queries and indexes in PostgreSQL',
].join('\n');

let server: LocalServer;
let fake: FakeOpenAi;
let browser: Browser;
let orgA: WebOrg;
let orgB: WebOrg;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [fake, browser] = await Promise.all([
    startFakeOpenAi({
      responder: (req) => {
        const draft = draftFromMaterial(req);
        draft.summary = `Model summary ${payload('summary')}`;
        draft.strengths = [`Strength ${payload('strength')}`];
        const first = draft.competencies[0];
        if (first) first.rationale = `Rationale ${payload('rationale')}`;
        draft.interviewPlan.systemDesign.prompt = `Design ${payload('plan')}`;
        // A slow model: the pages must not wait on it, and the screening page must follow it live.
        return { kind: 'delay', ms: 1500, reply: { kind: 'json', content: draft } };
      },
    }),
    launchChromium(),
  ]);
  server = await startLocalServer({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test-browser',
    OPENAI_MODEL: 'fake-model',
    LLM_MAX_RETRIES: '0',
  });
  [orgA, orgB] = await Promise.all([
    seedOrg(server.runtime.services, { Rita: 'recruiter', Ravi: 'reviewer', Ada: 'admin' }),
    seedOrg(server.runtime.services, { Bob: 'recruiter', Bea: 'reviewer' }),
  ]);
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.close();
  await fake?.close();
});

async function as(org: WebOrg, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const user = org.users[name];
  if (!user) throw new Error(`no user ${name}`);
  const page = await signIn(context, server.baseUrl, user.code);
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return page;
}

async function uploadThroughForm(page: Page, text: string, name: string): Promise<string> {
  await page.goto(`${server.baseUrl}/upload`);
  await page
    .getByLabel('Resume')
    .setInputFiles({ name: 'cv.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.getByLabel('Candidate name').fill(name);
  // The script sends the file by XHR (with the CSRF header) to show progress, then opens the screening page.
  const [upload] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/upload') && r.request().method() === 'POST'),
    page.waitForURL(/\/screenings\/scr_/),
    page.getByRole('button', { name: 'Upload and screen' }).click(),
  ]);
  expect(upload.status()).toBe(202);
  expect(upload.request().headers()['x-csrf-token']).toBeTruthy();
  const id = new URL(page.url()).pathname.split('/').pop() as string;
  // The page did not wait for the model; it follows the status until the draft is there.
  expect(await page.locator('#live-status-text').textContent()).not.toBe('Ready for review');
  await expect
    .poll(() => page.locator('#live-status-text').textContent(), { timeout: 20_000 })
    .toBe('Ready for review');
  return id;
}

/** Nothing the candidate or the model wrote became markup: only Vetline's own script is on the page. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate('window.__xss')).toBeUndefined();
  const scripts = await page.locator('script').evaluateAll((els) => els.map((el) => el.getAttribute('src')));
  expect(scripts).toHaveLength(1);
  expect(scripts[0]).toMatch(/^\/static\/app\.js/);
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.locator('[onerror]').count()).toBe(0);
}

describe('untrusted text is inert', () => {
  it('escapes markup in a resume and in the model’s answer, under a strict CSP', async () => {
    const recruiter = await as(orgA, 'Rita');
    const id = await uploadThroughForm(recruiter, hostileResume, `Mallory ${payload('name')}`);
    const reviewer = await as(orgA, 'Ravi');
    const response = await reviewer.goto(`${server.baseUrl}/screenings/${id}`);
    expect(response?.headers()['content-security-policy']).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(await reviewer.locator('#live-status-text').textContent()).toBe('Ready for review');
    await expectInert(reviewer);
    // The markup is shown as the text it is: in the heading, the resume, the quote, and the model's prose.
    expect(await reviewer.locator('h1').textContent()).toContain("<script>window.__xss='name'</script>");
    const resume = (await reviewer.locator('#resume-text').textContent()) ?? '';
    expect(resume).toContain(payload('resume'));
    expect(await reviewer.locator('#resume-text mark').first().textContent()).toContain(payload('quote'));
    expect(await reviewer.locator('main').textContent()).toContain(`Model summary ${payload('summary')}`);
    expect(await reviewer.locator('main').textContent()).toContain(`Rationale ${payload('rationale')}`);
    expect(await reviewer.locator('#provenance').textContent()).toContain('fake-model');
    await screenshot(reviewer, 'xss-inert');
    // The queue shows the hostile name as text too.
    await reviewer.goto(`${server.baseUrl}/queue`);
    await expectInert(reviewer);
    expect(await reviewer.locator('table.queue').textContent()).toContain(payload('name'));
  });
});

describe('tenants and roles', () => {
  it('a recruiter of another organisation cannot reach a screening by its URL', async () => {
    const ours = await as(orgA, 'Rita');
    const id = await uploadThroughForm(ours, 'Sam Lee\n- Built async services in Python\n', 'Sam Lee');
    const theirs = await as(orgB, 'Bob');
    const page = await theirs.goto(`${server.baseUrl}/screenings/${id}`);
    expect(page?.status()).toBe(404);
    expect(await theirs.locator('h1').textContent()).toBe('Not found');
    expect(await theirs.locator('main').textContent()).not.toContain('Sam Lee');
    await screenshot(theirs, 'other-org-404');
    const status = await theirs.request.get(`${server.baseUrl}/screenings/${id}/status`);
    expect(status.status()).toBe(404);
    // Their reviewer cannot act on it either, even with a valid form token of their own.
    const reviewer = await as(orgB, 'Bea');
    await reviewer.goto(`${server.baseUrl}/queue`);
    const csrf = await reviewer.locator('input[name=_csrf]').first().inputValue();
    const post = await reviewer.request.post(`${server.baseUrl}/screenings/${id}/review`, {
      form: { _csrf: csrf, expectedVersion: '1', decision: 'approve' },
      headers: { origin: server.baseUrl },
    });
    expect(post.status()).toBe(404);
    expect((await server.runtime.services.screenings.getScreening(orgA.orgId, id))?.status).toBe('drafted');
  });

  it('a reviewer cannot reach the admin pages, and the navigation does not offer them', async () => {
    const reviewer = await as(orgA, 'Ravi');
    await reviewer.goto(`${server.baseUrl}/queue`);
    expect(await reviewer.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain('Users');
    for (const path of ['/admin/users', '/admin/tokens', '/admin/audit', '/admin/settings']) {
      const res = await reviewer.goto(`${server.baseUrl}${path}`);
      expect(res?.status()).toBe(403);
      expect(await reviewer.locator('h1').textContent()).toBe('Not allowed');
    }
    await screenshot(reviewer, 'reviewer-admin-403');
    const csrf = await reviewer.locator('input[name=_csrf]').first().inputValue();
    const post = await reviewer.request.post(`${server.baseUrl}/admin/users`, {
      form: { _csrf: csrf, name: 'Eve', email: 'eve@example.test', role: 'admin' },
      headers: { origin: server.baseUrl },
    });
    expect(post.status()).toBe(403);
    expect((await server.runtime.services.auth.listUsers(orgA.orgId)).map((u) => u.name)).not.toContain(
      'Eve',
    );
  });

  it('refuses a form post without its token or from another origin; the session cookie is HttpOnly and Lax', async () => {
    const reviewer = await as(orgA, 'Ravi');
    const cookie = (await reviewer.context().cookies()).find((c) => c.name === 'vetline_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await reviewer.goto(`${server.baseUrl}/queue`);
    const csrf = await reviewer.locator('input[name=_csrf]').first().inputValue();
    const noToken = await reviewer.request.post(`${server.baseUrl}/sign-out`, { form: { _csrf: 'nope' } });
    expect(noToken.status()).toBe(403);
    const foreign = await reviewer.request.post(`${server.baseUrl}/sign-out`, {
      form: { _csrf: csrf },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status()).toBe(403);
    // Still signed in; then a real sign-out ends the session for good.
    expect((await reviewer.goto(`${server.baseUrl}/queue`))?.status()).toBe(200);
    await Promise.all([
      reviewer.waitForURL(/\/sign-in/),
      reviewer.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await reviewer.context().addCookies([{ ...(cookie as NonNullable<typeof cookie>) }]);
    await reviewer.goto(`${server.baseUrl}/queue`);
    expect(new URL(reviewer.url()).pathname).toBe('/sign-in');
  });
});

describe('admin pages', () => {
  it('an admin adds a user whose one-time link signs them in once, and creates and revokes a token', async () => {
    const admin = await as(orgA, 'Ada');
    await admin.goto(`${server.baseUrl}/admin/users`);
    await admin.getByLabel('Name', { exact: true }).fill('Nadia');
    await admin.getByLabel('E-mail').fill('nadia@example.test');
    await admin.getByLabel('Role', { exact: true }).selectOption('reviewer');
    await admin.getByRole('button', { name: 'Add user and create a sign-in link' }).click();
    const link = await admin.getByLabel('Sign-in link').inputValue();
    expect(link).toMatch(/\/sign-in\?code=vsl\./);
    await screenshot(admin, 'admin-users');

    const nadia = await browser.newContext();
    contexts.push(nadia);
    const page = await nadia.newPage();
    await page.goto(link);
    expect(await page.locator('main').textContent()).toContain('Nadia (reviewer)');
    await screenshot(page, 'sign-in');
    await Promise.all([page.waitForURL(/\/queue/), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.locator('header').textContent()).toContain('Nadia (reviewer)');
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    expect(await again.getByRole('alert').textContent()).toContain('not valid');
    await again.context().close();

    await admin.goto(`${server.baseUrl}/admin/tokens`);
    await admin.getByLabel('Label').fill('Greenhouse');
    await admin.getByRole('button', { name: 'Create token' }).click();
    const token = await admin.getByRole('textbox', { name: 'Token' }).inputValue();
    const asToken = () =>
      server.fetch('/v1/screenings?status=drafted', { headers: { authorization: `Bearer ${token}` } });
    expect((await asToken()).status).toBe(200);
    await admin.getByRole('button', { name: 'Revoke Greenhouse' }).click();
    expect(await admin.getByRole('status').first().textContent()).toContain('Revoked Greenhouse');
    expect((await asToken()).status).toBe(401);
    await screenshot(admin, 'admin-tokens');

    await admin.goto(`${server.baseUrl}/admin/audit`);
    const trail = (await admin.locator('#audit-trail').textContent()) ?? '';
    for (const action of [
      'created a user',
      'created a sign-in link',
      'created an API token',
      'revoked an API token',
    ])
      expect(trail).toContain(action);
    await screenshot(admin, 'admin-audit');
  });

  it('an admin turns blind screening off and on again, and the audit trail says so', async () => {
    const admin = await as(orgA, 'Ada');
    await admin.goto(`${server.baseUrl}/admin/users`);
    await Promise.all([
      admin.waitForURL(/\/admin\/settings$/),
      admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click(),
    ]);
    expect(await admin.locator('#blind-state').textContent()).toBe('on');
    await expectLabelledControls(admin);
    await admin.getByRole('combobox', { name: 'Blind screening' }).selectOption('off');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    expect(await admin.getByRole('status').first().textContent()).toContain('blind screening is off');
    expect((await server.runtime.services.auth.getOrg(orgA.orgId))?.settings.blindScreening).toBe(false);
    await screenshot(admin, 'admin-settings');

    await admin.getByRole('combobox', { name: 'Blind screening' }).selectOption('on');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    expect(await admin.locator('#blind-state').textContent()).toBe('on');
    expect((await server.runtime.services.auth.getOrg(orgA.orgId))?.settings.blindScreening).toBe(true);
    await admin.goto(`${server.baseUrl}/admin/audit`);
    const trail = (await admin.locator('#audit-trail').textContent()) ?? '';
    expect(trail.split('changed the organisation’s settings').length - 1).toBe(2);
  });
});
