import type { AuthStore, Principal, Role } from '../../src/auth/auth-store';
import { newId } from '../../src/core/ids';

export interface TestOrg {
  orgId: string;
  tokens: Record<Role, string>;
  principals: Record<Role, Principal>;
}

/** A new organisation with one user per role and an API token for each: what most tests start from. */
export async function seedTestOrg(auth: AuthStore, label = 'Test org'): Promise<TestOrg> {
  const orgId = newId('org');
  const now = new Date();
  await auth.createOrg(orgId, `${label} ${orgId}`, now);
  const tokens = {} as Record<Role, string>;
  const principals = {} as Record<Role, Principal>;
  for (const role of ['recruiter', 'reviewer', 'admin'] as const) {
    const user = {
      id: newId('usr'),
      orgId,
      email: `${role}@example.test`,
      name: role,
      role,
      createdAt: now.toISOString(),
    };
    await auth.createUser(user);
    tokens[role] = await auth.issueToken(user, 'test', now);
    const principal = await auth.resolveToken(tokens[role]);
    if (!principal) throw new Error('a freshly issued token did not resolve');
    principals[role] = principal;
  }
  return { orgId, tokens, principals };
}
