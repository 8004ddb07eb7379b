import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zip } from '../support/archives';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { seniorResumeText } from '../support/resumes';
import { CLUTTER, PROJECT_FILES } from '../support/take-home-project';
import {
  expectNoHorizontalScroll,
  launchChromium,
  screenshot,
  seedOrg,
  signIn,
  type WebOrg,
  waitForScreening,
} from './browser-support';

// A resume and a take-home uploaded together through the form, in a real Chromium against the real local runtime
// (DynamoDB Local, disk blobs, in-process queue, offline drafter): both are drafted, the two pages link to each other,
// and the take-home page shows the code with every evidence quote highlighted at its lines.
const hostileFile = 'orders-service/orders/render.py';
const hostileCode = [
  '"""Renders order summaries as HTML for the partner portal."""',
  '',
  'import logging',
  '',
  'logger = logging.getLogger(__name__)',
  'BANNER = "<script>window.__xss = \'code\'</script>"',
  '',
  '',
  'def badge(name: str) -> str:',
  '    # <img src=x onerror="window.__xss=\'comment\'">',
  '    return f"<b onclick=\\"window.__xss=1\\">{name}</b>"',
  '',
].join('\n');
const files = { ...PROJECT_FILES, [hostileFile]: hostileCode };

let server: LocalServer;
let browser: Browser;
let org: WebOrg;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchChromium()]);
  org = await seedOrg(server.runtime.services, { Rita: 'recruiter', Ravi: 'reviewer' });
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

describe('a resume and a take-home for one candidate', () => {
  let takeHomeId = '';

  it('are uploaded together through the form, both reach drafted, and their pages link to each other', async () => {
    const recruiter = await as('Rita');
    await recruiter.goto(`${server.baseUrl}/upload`);
    await recruiter.getByLabel('Resume').setInputFiles({
      name: 'priya.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(seniorResumeText),
    });
    await recruiter.getByLabel('Take-home (optional)').setInputFiles({
      name: 'orders-service.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from(zip({ ...files, ...CLUTTER })),
    });
    await recruiter.getByLabel('Candidate name').fill('Priya Raman');
    await screenshot(recruiter, 'upload-with-take-home');
    await Promise.all([
      recruiter.waitForURL(/\/screenings\/scr_/),
      recruiter.getByRole('button', { name: 'Upload and screen' }).click(),
    ]);
    const resumeId = new URL(recruiter.url()).pathname.split('/').pop() as string;
    await expect
      .poll(() => recruiter.locator('#live-status-text').textContent(), { timeout: 20_000 })
      .toBe('Ready for review');

    // The resume's page names the take-home of the same candidate; following it opens the take-home's page.
    const link = recruiter.locator('#related-screenings a', { hasText: 'Take-home screening' });
    expect(await link.count()).toBe(1);
    takeHomeId = ((await link.getAttribute('href')) ?? '').split('/').pop() as string;
    await waitForScreening(server.runtime.services, org.orgId, takeHomeId, ['drafted']);
    await Promise.all([recruiter.waitForURL(`**/screenings/${takeHomeId}`), link.click()]);
    expect(await recruiter.locator('#live-status-text').textContent()).toBe('Ready for review');
    const back = recruiter.locator('#related-screenings a', { hasText: 'Resume screening' });
    expect(await back.getAttribute('href')).toBe(`/screenings/${resumeId}`);
  });

  it('shows the take-home code with evidence highlighted at its lines, linked both ways', async () => {
    const reviewer = await as('Ravi');
    // The queue holds both screenings of the candidate, the take-home marked as such.
    await reviewer.goto(`${server.baseUrl}/queue`);
    const rows = reviewer.locator('table.queue tbody tr', { hasText: 'Priya Raman' });
    expect(await rows.count()).toBe(2);
    expect(await rows.filter({ hasText: 'take-home' }).count()).toBe(1);
    await reviewer.goto(`${server.baseUrl}/screenings/${takeHomeId}`);
    const marks = reviewer.locator('#take-home-code mark');
    expect(await marks.count()).toBeGreaterThan(8);

    // Every piece of evidence is linked to the first of its lines, and those lines hold the quote.
    const links = reviewer.locator('ul.evidence a[data-quote]');
    expect(await links.count()).toBeGreaterThan(8);
    for (let i = 0; i < Math.min(await links.count(), 12); i++) {
      const evidence = links.nth(i);
      const where = ((await evidence.locator('code').textContent()) ?? '').trim();
      const quote = ((await evidence.locator('blockquote').textContent()) ?? '').trim();
      const [, path, from, to] = /^(.+):(\d+)(?:-(\d+))?$/.exec(where) ?? [];
      const lines = (files[path as keyof typeof files] ?? '').split('\n');
      const shown = lines.slice(Number(from) - 1, Number(to ?? from)).join('\n');
      expect(shown, where).toContain(quote);
      const target = ((await evidence.getAttribute('href')) ?? '').slice(1);
      const mark = reviewer.locator(`#${target}`);
      expect(((await mark.textContent()) ?? '').trim(), where).toBe((lines[Number(from) - 1] ?? '').trim());
    }

    // Following a link marks every line of that quote; the line links back to its competency.
    const first = links.first();
    const target = ((await first.getAttribute('href')) ?? '').slice(1);
    await first.click();
    expect(await reviewer.locator(`mark#${target}`).getAttribute('class')).toContain('active');
    const line = reviewer.locator(`li:has(mark#${target})`);
    const backLink = line.locator('sup.ref a').first();
    const competency = ((await backLink.getAttribute('href')) ?? '').slice(1);
    expect(await reviewer.locator(`section#${competency} a[href="#${target}"]`).count()).toBe(1);

    // The static signals and the skipped files are on the page, the signals linked to their lines.
    expect(await reviewer.locator('#static-signals').textContent()).toContain('select_related');
    expect(await reviewer.locator('#static-signals a[href^="#file-"]').count()).toBeGreaterThan(3);
    const skipped = (await reviewer.locator('#skipped-files').textContent()) ?? '';
    expect(skipped).toContain('orders-service/.venv/');
    expect(skipped).toContain('virtualenv');
    expect(skipped).toContain('orders-service/node_modules/');
    await screenshot(reviewer, 'take-home-review');
  });

  it('shows markup in the code as text: nothing in it runs or renders', async () => {
    const reviewer = await as('Ravi');
    await reviewer.goto(`${server.baseUrl}/screenings/${takeHomeId}`);
    const index = await reviewer
      .locator('details.code-file', { hasText: hostileFile })
      .evaluate((el) => el.id.replace('file-', ''));
    const details = reviewer.locator(`#file-${index}`);
    await details.locator('summary').click();
    expect(await reviewer.locator(`#file-${index}-L6`).textContent()).toBe(
      'BANNER = "<script>window.__xss = \'code\'</script>"',
    );
    expect(await reviewer.locator(`#file-${index}-L10`).textContent()).toContain('<img src=x onerror=');
    expect(
      await reviewer.locator('#take-home-code script, #take-home-code img, #take-home-code b').count(),
    ).toBe(0);
    expect(await reviewer.evaluate('window.__xss')).toBeUndefined();
    await reviewer.locator(`#file-${index}-L11`).click();
    expect(await reviewer.evaluate('window.__xss')).toBeUndefined();
    await screenshot(reviewer, 'take-home-markup-inert');
  });

  it('works at phone width without sideways scrolling', async () => {
    const phone = await as('Ravi', { width: 390, height: 844 });
    await phone.goto(`${server.baseUrl}/screenings/${takeHomeId}`);
    await expectNoHorizontalScroll(phone);
    await screenshot(phone, 'take-home-phone');
  });
});
