import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type AuthStore, Role } from './auth-store';
import type { SessionStore } from './session-store';

export const devOrgId = 'org_dev';

const DevTokensFile = z.object({
  orgId: z.string(),
  tokens: z.record(Role, z.string()),
  /** Reusable sign-in link codes for the web pages (`/sign-in?code=...`), one per dev user. */
  signIn: z.record(Role, z.string()).optional(),
});
export type DevTokens = z.infer<typeof DevTokensFile>;

export const devTokensPath = (dataDir: string): string => path.join(dataDir, 'dev-tokens.json');

/**
 * Local development: one organisation with a recruiter, a reviewer and an admin. Tokens are minted on first start and
 * written to `<dataDir>/dev-tokens.json` (mode 0600) so scripts can use them; later starts reuse them while they still
 * resolve, and mint new ones when the file or the table was wiped.
 *
 * With `sessions`, each dev user also gets a reusable sign-in link (valid 30 days), written and printed beside the
 * tokens: a local developer signs in to the pages by opening it. Links rather than passwords because they are the
 * same mechanism admins use to let real users in (one-time links there), so dev sign-in exercises the real path, and
 * there is no password store to get wrong. Never seeded outside `VETLINE_SEED_DEV`.
 */
export async function seedDevUsers(
  auth: AuthStore,
  dataDir: string,
  now: Date,
  sessions?: SessionStore,
): Promise<DevTokens> {
  const file = devTokensPath(dataDir);
  const existing = await readFile(file, 'utf8').then(
    (text) => DevTokensFile.safeParse(JSON.parse(text)),
    () => null,
  );
  if (existing?.success) {
    const checks = await Promise.all(Object.values(existing.data.tokens).map((t) => auth.resolveToken(t)));
    const links = sessions
      ? await Promise.all(
          Role.options.map((role) => {
            const code = existing.data.signIn?.[role];
            return code ? sessions.peekSignInLink(code, now) : null;
          }),
        )
      : [];
    if (checks.every((p) => p !== null) && links.every((u) => u !== null)) return existing.data;
  }

  if (!(await auth.getOrg(devOrgId))) await auth.createOrg(devOrgId, 'Vetline (local development)', now);
  const tokens: Partial<Record<Role, string>> = {};
  const signIn: Partial<Record<Role, string>> = {};
  for (const role of Role.options) {
    const user = {
      id: `usr_dev-${role}`,
      orgId: devOrgId,
      email: `${role}@vetline.local`,
      name: `Dev ${role}`,
      role,
      createdAt: now.toISOString(),
    };
    await auth.createUser(user).catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    });
    tokens[role] = await auth.issueToken(user, 'dev seed', now);
    if (sessions) {
      signIn[role] = (
        await sessions.issueSignInLink(user, { ttlSeconds: 30 * 24 * 3600, reusable: true }, now)
      ).code;
    }
  }
  const result = DevTokensFile.parse({ orgId: devOrgId, tokens, ...(sessions ? { signIn } : {}) });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  return result;
}
