import { type AuthStore, Role } from '../auth/auth-store';
import { newId } from '../core/ids';

export interface CreatedOrg {
  orgId: string;
  /** One user per role, each with one API token (shown once: only its hash is stored). */
  users: Array<{ role: Role; userId: string; email: string; token: string }>;
}

/**
 * A deployed stage starts with an empty table (nothing is seeded on AWS). This creates an organisation with a user
 * per role and a token for each, so a new team can sign in: `npm run aws:create-org` runs it against the stage's
 * table with the deployer's AWS credentials.
 */
export async function createOrgWithUsers(
  auth: AuthStore,
  input: { name: string; emailDomain: string },
  now: Date,
): Promise<CreatedOrg> {
  const orgId = newId('org');
  await auth.createOrg(orgId, input.name, now);
  const users: CreatedOrg['users'] = [];
  for (const role of Role.options) {
    const user = {
      id: newId('usr'),
      orgId,
      email: `${role}@${input.emailDomain}`,
      name: `${input.name} ${role}`,
      role,
      createdAt: now.toISOString(),
    };
    await auth.createUser(user);
    users.push({
      role,
      userId: user.id,
      email: user.email,
      token: await auth.issueToken(user, 'aws:create-org', now),
    });
  }
  return { orgId, users };
}
