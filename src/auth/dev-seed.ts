import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type AuthStore, Role } from './auth-store';

export const devOrgId = 'org_dev';

const DevTokensFile = z.object({
  orgId: z.string(),
  tokens: z.record(Role, z.string()),
});
export type DevTokens = z.infer<typeof DevTokensFile>;

export const devTokensPath = (dataDir: string): string => path.join(dataDir, 'dev-tokens.json');

/**
 * Local development: one organisation with a recruiter, a reviewer and an admin. Tokens are minted on first start and
 * written to `<dataDir>/dev-tokens.json` (mode 0600) so scripts can use them; later starts reuse them while they still
 * resolve, and mint new ones when the file or the table was wiped.
 */
export async function seedDevUsers(auth: AuthStore, dataDir: string, now: Date): Promise<DevTokens> {
  const file = devTokensPath(dataDir);
  const existing = await readFile(file, 'utf8').then(
    (text) => DevTokensFile.safeParse(JSON.parse(text)),
    () => null,
  );
  if (existing?.success) {
    const checks = await Promise.all(Object.values(existing.data.tokens).map((t) => auth.resolveToken(t)));
    if (checks.every((p) => p !== null)) return existing.data;
  }

  if (!(await auth.getOrg(devOrgId))) await auth.createOrg(devOrgId, 'Vetline (local development)', now);
  const tokens: Partial<Record<Role, string>> = {};
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
  }
  const result = DevTokensFile.parse({ orgId: devOrgId, tokens });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
  return result;
}
