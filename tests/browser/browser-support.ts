import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../src/auth/auth-store';
import { newId } from '../../src/core/ids';
import type { Services } from '../../src/core/services';
import type { ScreeningStatus } from '../../src/screening/screening';
import { repoRoot } from '../support/resumes';

/**
 * Debian's Chromium, driven by playwright-core (which downloads no browser). `scripts/setup-machine.sh` installs it;
 * `VETLINE_CHROMIUM` points at another build. The flags keep a headless browser from reaching for the network.
 */
export const chromiumPath = process.env.VETLINE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface WebOrg {
  orgId: string;
  /** Sign-in codes (reusable) and user ids, by name. */
  users: Record<string, { id: string; role: Role; code: string }>;
  /** An API token per role, for checks through the API. */
  tokens: Record<Role, string>;
}

/** An organisation with the named users, each with a reusable sign-in link. */
export async function seedOrg(services: Services, people: Record<string, Role>): Promise<WebOrg> {
  const orgId = newId('org');
  const now = new Date();
  await services.auth.createOrg(orgId, `Browser org ${orgId}`, now);
  const users: WebOrg['users'] = {};
  const tokens = {} as Record<Role, string>;
  for (const [name, role] of Object.entries(people)) {
    const user = {
      id: newId('usr'),
      orgId,
      email: `${name}@example.test`,
      name,
      role,
      createdAt: now.toISOString(),
    };
    await services.auth.createUser(user);
    const { code } = await services.sessions.issueSignInLink(user, { ttlSeconds: 3600, reusable: true }, now);
    users[name] = { id: user.id, role, code };
    tokens[role] ??= await services.auth.issueToken(user, 'browser test', now);
  }
  return { orgId, users, tokens };
}

/** Signs a browser context in through the sign-in page, as a person would. */
export async function signIn(context: BrowserContext, baseUrl: string, code: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/sign-in?code=${encodeURIComponent(code)}`);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
    page.click('button:text("Sign in")'),
  ]);
  return page;
}

/** Waits (through the service) until a screening reaches one of the statuses. */
export async function waitForScreening(
  services: Services,
  orgId: string,
  id: string,
  until: ScreeningStatus[],
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status: string | undefined;
  while (Date.now() < deadline) {
    status = (await services.screenings.getScreening(orgId, id))?.status;
    if (status && (until as string[]).includes(status)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screening ${id} stayed ${status}; wanted ${until.join('|')}`);
}

/** Every form control on the page has a label a screen reader can read. (DOM code as strings: no DOM types here.) */
export async function expectLabelledControls(page: Page): Promise<void> {
  const unlabelled =
    await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => (el.labels ? el.labels.length : 0) === 0 && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML.slice(0, 80))`);
  expect(unlabelled).toEqual([]);
}

/** Nothing is wider than the screen: the page works at phone width without sideways scrolling. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
}
