import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRubric } from '../../src/rubric/rubric';
import { dataEngineerResumeText } from '../support/data-engineer-resume';
import { type LocalServer, startLocalServer } from '../support/local-server';
import {
  expectLabelledControls,
  launchChromium,
  screenshot,
  seedOrg,
  signIn,
  type WebOrg,
} from './browser-support';

// An admin chooses the organisation's resume rubric on the Settings page; a recruiter's upload is then drafted with
// it, and the assessment page names it. Real Chromium, the real local runtime on a loopback socket.
let server: LocalServer;
let browser: Browser;
let org: WebOrg;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchChromium()]);
  org = await seedOrg(server.runtime.services, { Rita: 'recruiter', Ravi: 'reviewer', Ada: 'admin' });
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

async function as(name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const user = org.users[name];
  if (!user) throw new Error(`no user ${name}`);
  return signIn(context, server.baseUrl, user.code);
}

describe('choosing the rubric', () => {
  it('an admin sets the organisation’s rubric; a recruiter’s upload is drafted with it, and the page names it', async () => {
    const rubric = await loadRubric('senior-python-data-engineer');

    const admin = await as('Ada');
    await admin.goto(`${server.baseUrl}/admin/settings`);
    await expectLabelledControls(admin);
    // Keyboard only: focus the select, choose with the arrow keys, submit with Enter.
    const select = admin.getByRole('combobox', { name: 'Resume rubric' });
    await select.focus();
    await admin.keyboard.press('ArrowDown');
    await admin.keyboard.press('ArrowDown');
    expect(await select.inputValue()).toBe('senior-python-data-engineer');
    await Promise.all([
      admin.waitForLoadState('load'),
      admin.getByRole('button', { name: 'Save rubric' }).press('Enter'),
    ]);
    await expect.poll(() => admin.locator('#rubric-state').textContent()).toBe('Senior Python data engineer');
    expect(await admin.locator('.notice.ok').textContent()).toContain(
      'Saved: resumes are drafted with Senior Python data engineer.',
    );
    await screenshot(admin, 'settings-rubric');

    const recruiter = await as('Rita');
    await recruiter.goto(`${server.baseUrl}/upload`);
    await expectLabelledControls(recruiter);
    // The organisation's choice is preselected; the recruiter leaves it.
    expect(await recruiter.getByRole('combobox', { name: 'Rubric', exact: true }).inputValue()).toBe(
      'senior-python-data-engineer',
    );
    await recruiter.getByLabel('Resume', { exact: true }).setInputFiles({
      name: 'mara.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(dataEngineerResumeText),
    });
    await recruiter.getByLabel('Candidate name').fill('Mara Quist');
    await screenshot(recruiter, 'upload-form-rubric');
    await Promise.all([
      recruiter.waitForURL(/\/screenings\/scr_/),
      recruiter.getByRole('button', { name: 'Upload and screen' }).click(),
    ]);
    const id = new URL(recruiter.url()).pathname.split('/').pop() as string;
    await expect
      .poll(() => recruiter.locator('#live-status-text').textContent(), { timeout: 20_000 })
      .toBe('Ready for review');

    const reviewer = await as('Ravi');
    await reviewer.goto(`${server.baseUrl}/queue`);
    const row = reviewer.locator('tr', { has: reviewer.getByRole('link', { name: 'Mara Quist' }) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-rubric-id]').textContent()).toBe('Senior Python data engineer');
    await reviewer.goto(`${server.baseUrl}/screenings/${id}`);
    expect(await reviewer.locator('#rubric').textContent()).toContain(
      `Senior Python data engineer, version ${rubric.version}`,
    );
    // The draft's competencies are the data-engineer rubric's, and its provenance records it.
    const competencies = await reviewer.locator('#provenance').textContent();
    expect(competencies).toContain('senior-python-data-engineer');
    expect(await reviewer.locator('body').textContent()).toContain('Streaming and message brokers');
    await screenshot(reviewer, 'screening-rubric');

    const stored = await server.runtime.services.screenings.get(org.orgId, id);
    expect(stored?.screening.rubricId).toBe('senior-python-data-engineer');
    expect(stored?.draft?.provenance).toMatchObject({ rubricId: rubric.id, rubricHash: rubric.hash });
  });
});
