import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewView } from '../../src/api/review-schemas';
import { submitResume } from '../../src/screening/intake';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { seniorResumeText } from '../support/resumes';
import {
  expectLabelledControls,
  expectNoHorizontalScroll,
  launchChromium,
  screenshot,
  seedOrg,
  signIn,
  type WebOrg,
  waitForScreening,
} from './browser-support';

// The reviewer's path in a real Chromium against the real local runtime (DynamoDB Local, disk blobs, in-process
// queue, offline drafter) on a loopback socket. One browser for the file; a fresh context per person.
let server: LocalServer;
let browser: Browser;
let org: WebOrg;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchChromium()]);
  org = await seedOrg(server.runtime.services, {
    Rita: 'recruiter',
    Ravi: 'reviewer',
    Rosa: 'reviewer',
    Ada: 'admin',
  });
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

async function as(name: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const user = org.users[name];
  if (!user) throw new Error(`no user ${name}`);
  return signIn(context, server.baseUrl, user.code);
}

/** A drafted screening made through the same intake as the form, to start a test from the review step. */
async function draftedScreening(candidateName: string): Promise<string> {
  const { services } = server.runtime;
  const principal = await services.auth.resolveToken(org.tokens.recruiter);
  if (!principal) throw new Error('token');
  const screening = await submitResume(services, principal, {
    bytes: new TextEncoder().encode(seniorResumeText),
    filename: 'resume.txt',
    candidate: { name: candidateName, email: null, externalId: null, position: 'Senior Python engineer' },
    source: 'upload',
  });
  await waitForScreening(services, org.orgId, screening.id, ['drafted']);
  return screening.id;
}

/** The review through the API, parsed with the API's own schema. */
const reviewOf = async (id: string) => {
  const res = await server.fetch(`/v1/reviews/${id}`, {
    headers: { authorization: `Bearer ${org.tokens.admin}` },
  });
  expect(res.status).toBe(200);
  return ReviewView.parse(await res.json());
};

describe('upload -> draft -> review -> approve', () => {
  it('a recruiter uploads with progress, the page follows the status, a reviewer approves from the queue', async () => {
    const recruiter = await as('Rita');
    await recruiter.goto(`${server.baseUrl}/upload`);
    await expectLabelledControls(recruiter);
    await recruiter.getByLabel('Resume').setInputFiles({
      name: 'priya.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(seniorResumeText),
    });
    await recruiter.getByLabel('Candidate name').fill('Priya Raman');
    await recruiter.getByLabel('Position').fill('Senior Python engineer, data platform');
    await screenshot(recruiter, 'upload-form');
    await Promise.all([
      recruiter.waitForURL(/\/screenings\/scr_/),
      recruiter.getByRole('button', { name: 'Upload and screen' }).click(),
    ]);
    const id = new URL(recruiter.url()).pathname.split('/').pop() as string;
    // The page follows the status by itself (the script polls, then reloads once the draft is there).
    await expect
      .poll(() => recruiter.locator('#live-status-text').textContent(), { timeout: 20_000 })
      .toBe('Ready for review');
    await screenshot(recruiter, 'screening-recruiter-view');
    // Recruiters follow the screening but cannot review it.
    expect(await recruiter.locator('#review-form').count()).toBe(0);

    const reviewer = await as('Ravi');
    await reviewer.goto(`${server.baseUrl}/queue`);
    const row = reviewer.getByRole('link', { name: 'Priya Raman' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await reviewer.locator('table.queue').textContent()).toContain('day 0 of 10');
    await screenshot(reviewer, 'queue');
    await Promise.all([reviewer.waitForURL(`**/screenings/${id}`), row.click()]);

    // Evidence is highlighted in the resume text and linked from its competency.
    const marks = reviewer.locator('#resume-text mark');
    expect(await marks.count()).toBeGreaterThan(3);
    const firstEvidence = reviewer.locator('ul.evidence a[data-quote]').first();
    const target = (await firstEvidence.getAttribute('href'))?.slice(1) as string;
    await firstEvidence.click();
    expect(await reviewer.locator(`mark#${target}`).getAttribute('class')).toContain('active');
    const quote = (await firstEvidence.textContent())?.trim() as string;
    expect(seniorResumeText).toContain(quote);
    expect(await reviewer.locator('#flags').textContent()).toContain('Drafted by the offline rules');
    expect(await reviewer.locator('#provenance').textContent()).toContain('rubricVersion');
    await expectLabelledControls(reviewer);
    await screenshot(reviewer, 'assessment');

    await Promise.all([
      reviewer.waitForURL(/done=1/),
      reviewer.getByRole('button', { name: 'Approve' }).click(),
    ]);
    expect(await reviewer.getByRole('status').first().textContent()).toContain('Saved: Approved');
    expect(await reviewer.locator('#audit-trail').textContent()).toContain('approved');
    await screenshot(reviewer, 'approved');

    // The API agrees: approved, the human final beside the untouched draft, one audit event naming the reviewer.
    const review = await reviewOf(id);
    expect(review.screening.status).toBe('approved');
    expect(review.final?.decision).toBe('approved');
    expect(review.final?.competencies.map((c) => c.level)).toEqual(
      review.draft?.competencies.map((c) => c.level),
    );
    expect(review.events).toHaveLength(1);
    expect(review.events[0]).toMatchObject({
      action: 'review.approved',
      actor: { userId: org.users.Ravi?.id, role: 'reviewer', via: 'session' },
      before: { status: 'drafted' },
      after: { status: 'approved' },
    });
  });

  it('refuses a changed level without a reason, keeps the input, and takes it with one', async () => {
    const id = await draftedScreening('Noor Haddad');
    const reviewer = await as('Ravi');
    await reviewer.goto(`${server.baseUrl}/screenings/${id}`);
    const select = reviewer.locator('select[name^="level."]').first();
    const name = (await select.getAttribute('name')) as string;
    const competencyId = name.slice('level.'.length);
    const draftLevel = await select.inputValue();
    const changed = draftLevel === '1' ? '2' : '1';
    await select.selectOption(changed);
    await reviewer.getByLabel('Notes').fill('Strong async work; data modelling thinner than it reads.');
    const [response] = await Promise.all([
      reviewer.waitForResponse((r) => r.url().endsWith(`/screenings/${id}/review`)),
      reviewer.getByRole('button', { name: 'Approve' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await reviewer.waitForLoadState();
    const reasonField = reviewer.locator(`#reason-${competencyId}`);
    expect(await reviewer.locator(`#reason-${competencyId}-error`).textContent()).toContain('needs a reason');
    expect(await reasonField.getAttribute('aria-invalid')).toBe('true');
    // What the reviewer chose and wrote is still there.
    expect(await reviewer.locator(`select[name="level.${competencyId}"]`).inputValue()).toBe(changed);
    expect(await reviewer.getByLabel('Notes').inputValue()).toContain('Strong async work');
    await screenshot(reviewer, 'reason-required');
    expect((await reviewOf(id)).screening.status).toBe('drafted');

    await reasonField.fill('Only one project shows it, and not at scale.');
    await Promise.all([
      reviewer.waitForURL(/done=1/),
      reviewer.getByRole('button', { name: 'Approve' }).click(),
    ]);
    const review = await reviewOf(id);
    expect(review.screening.status).toBe('approved');
    const final = review.final?.competencies.find((c) => c.competencyId === competencyId);
    expect(final).toMatchObject({
      level: Number(changed),
      reason: 'Only one project shows it, and not at scale.',
    });
    // The AI draft is kept as it was.
    const draft = review.draft?.competencies.find((c) => c.competencyId === competencyId);
    expect(String(draft?.level)).toBe(draftLevel);
  });

  it('answers 409 to the second of two reviewers, says why, and keeps their input', async () => {
    const id = await draftedScreening('Tomás Ferreira');
    const [first, second] = await Promise.all([as('Ravi'), as('Rosa')]);
    await Promise.all([first, second].map((p) => p.goto(`${server.baseUrl}/screenings/${id}`)));

    await Promise.all([first.waitForURL(/done=1/), first.getByRole('button', { name: 'Approve' }).click()]);

    const select = second.locator('select[name^="level."]').first();
    const competencyId = ((await select.getAttribute('name')) as string).slice('level.'.length);
    await select.selectOption((await select.inputValue()) === '4' ? '3' : '4');
    await second.locator(`#reason-${competencyId}`).fill('Led the asyncio migration end to end.');
    await second.getByLabel('Notes').fill('Worth a system-design round.');
    const [response] = await Promise.all([
      second.waitForResponse((r) => r.url().endsWith(`/screenings/${id}/review`)),
      second.getByRole('button', { name: 'Request changes' }).click(),
    ]);
    expect(response.status()).toBe(409);
    await second.waitForLoadState();
    expect(await second.locator('.notice.warn').textContent()).toContain(
      'Someone else changed this screening',
    );
    expect(await second.locator(`#reason-${competencyId}`).inputValue()).toBe(
      'Led the asyncio migration end to end.',
    );
    expect(await second.getByLabel('Notes').inputValue()).toBe('Worth a system-design round.');
    // The first reviewer's decision is what stands, and it is on the page.
    expect(await second.locator('#audit-trail').textContent()).toContain('approved');
    await screenshot(second, 'conflict-409');
    const review = await reviewOf(id);
    expect(review.screening.status).toBe('approved');
    expect(review.events.map((e) => e.action)).toEqual(['review.approved']);
  });

  it('shows the velocity of decisions against the ten-day window', async () => {
    const reviewer = await as('Ravi');
    await reviewer.goto(`${server.baseUrl}/dashboard`);
    const decisions = (await reviewer.locator('#velocity-decisions').textContent()) ?? '';
    // Whatever this file has approved so far, each on the day it arrived: all within the window.
    const approved = (
      await server.runtime.services.screenings.listByStatus(org.orgId, 'approved', { limit: 100 })
    ).items.length;
    expect(approved).toBeGreaterThan(0);
    expect(decisions).toMatch(new RegExp(`Approved\\s*${approved}Rejected`));
    expect(decisions).toMatch(new RegExp(`Decided within 10 days\\s*${approved} of ${approved}`));
    expect(await reviewer.locator('main').textContent()).toMatch(/By reviewer.*Ravi: \d/);
    await screenshot(reviewer, 'dashboard');
  });

  it('works at phone width: the queue and the assessment page need no sideways scrolling', async () => {
    const id = await draftedScreening('Mei Chen');
    const phone = await as('Ravi', { width: 390, height: 844 });
    await phone.goto(`${server.baseUrl}/queue`);
    await expectNoHorizontalScroll(phone);
    await screenshot(phone, 'queue-phone');
    await phone.goto(`${server.baseUrl}/screenings/${id}`);
    await expectNoHorizontalScroll(phone);
    // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await screenshot(phone, 'assessment-phone');
  });
});
