import { z } from 'zod';
import { AppError } from '../core/app-error';
import { newId } from '../core/ids';
import type { Services } from '../core/services';
import { newEvent } from '../review/review-store';
import { type Principal, Role, type TokenInfo, type User } from './auth-store';
import { roleIncludes } from './roles';

/**
 * What admins do to users and API tokens, shared by the API and the pages. Every action is an audit event. Users
 * and tokens of another organisation are never found: every lookup is keyed by the admin's organisation.
 */

export const NewUser = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: Role,
});
export type NewUser = z.infer<typeof NewUser>;

export const UserChange = z
  .object({ role: Role.optional(), active: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.active !== undefined, { message: 'nothing to change' });
export type UserChange = z.infer<typeof UserChange>;

export const NewToken = z.object({
  userId: z.string().max(64),
  label: z.string().trim().min(1).max(100),
  /** What the token is granted: the user's role unless given, and never more than it (see `effectiveRole`). */
  role: Role.optional(),
});
export type NewToken = z.infer<typeof NewToken>;

const userNotFound = () => new AppError('not_found', 'not_found', 'No such user.');
const visible = (user: User) => ({ id: user.id, email: user.email, name: user.name, role: user.role });

export async function createUser(services: Services, admin: Principal, input: NewUser): Promise<User> {
  const now = services.now();
  const existing = await services.auth.listUsers(admin.orgId);
  if (existing.some((u) => u.email.toLowerCase() === input.email.toLowerCase())) {
    throw new AppError('conflict', 'email_taken', 'A user with this e-mail already exists.', {
      details: { field: 'email' },
    });
  }
  const user: User = {
    id: newId('usr'),
    orgId: admin.orgId,
    ...input,
    createdAt: now.toISOString(),
    disabledAt: null,
  };
  await services.auth.createUser(user);
  await services.reviews.appendOrgEvent(
    newEvent(
      admin,
      'user.created',
      { type: 'user', id: user.id },
      { before: null, after: visible(user) },
      now,
    ),
  );
  return user;
}

export async function changeUser(
  services: Services,
  admin: Principal,
  userId: string,
  change: UserChange,
): Promise<User> {
  if (userId === admin.userId && (change.active === false || (change.role && change.role !== 'admin'))) {
    throw new AppError('conflict', 'own_account', 'Admins cannot demote or deactivate themselves.');
  }
  const now = services.now();
  const result = await services.auth.updateUser(admin.orgId, userId, {
    ...(change.role ? { role: change.role } : {}),
    ...(change.active === undefined ? {} : { disabledAt: change.active ? null : now.toISOString() }),
  });
  if (!result) throw userNotFound();
  const describe = (u: User) => ({ ...visible(u), active: !u.disabledAt });
  await services.reviews.appendOrgEvent(
    newEvent(
      admin,
      'user.updated',
      { type: 'user', id: userId },
      { before: describe(result.before), after: describe(result.after) },
      now,
    ),
  );
  return result.after;
}

/** A one-time sign-in link for a user (how people get into the pages): handed over by the admin. */
export async function createSignInLink(
  services: Services,
  admin: Principal,
  userId: string,
): Promise<{ code: string; expiresAt: Date; user: User }> {
  const user = await services.auth.getUser(admin.orgId, userId);
  if (!user) throw userNotFound();
  if (user.disabledAt) throw new AppError('conflict', 'user_inactive', 'This user is deactivated.');
  const now = services.now();
  const link = await services.sessions.issueSignInLink(
    user,
    { ttlSeconds: services.config.web.signInLinkSeconds },
    now,
  );
  await services.reviews.appendOrgEvent(
    newEvent(
      admin,
      'user.sign_in_link_created',
      { type: 'user', id: userId },
      { before: null, after: { expiresAt: link.expiresAt.toISOString() } },
      now,
    ),
  );
  return { ...link, user };
}

export async function createApiToken(
  services: Services,
  admin: Principal,
  input: NewToken,
): Promise<{ token: string; info: TokenInfo }> {
  const user = await services.auth.getUser(admin.orgId, input.userId);
  if (!user) throw userNotFound();
  if (user.disabledAt) throw new AppError('conflict', 'user_inactive', 'This user is deactivated.');
  const role = input.role ?? user.role;
  if (!roleIncludes(user.role, role)) {
    throw new AppError(
      'bad_request',
      'role_exceeds_user',
      `A token can have at most its user’s role: ${user.name} is ${user.role}.`,
      { details: { field: 'role' } },
    );
  }
  const now = services.now();
  const { token, tokenId } = await services.auth.createToken(user, input.label, now, role);
  const info: TokenInfo = {
    tokenId,
    orgId: admin.orgId,
    userId: user.id,
    role,
    label: input.label,
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  await services.reviews.appendOrgEvent(
    newEvent(
      admin,
      'token.created',
      { type: 'token', id: tokenId },
      { before: null, after: { userId: user.id, role, label: input.label } },
      now,
    ),
  );
  return { token, info };
}

export async function revokeApiToken(
  services: Services,
  admin: Principal,
  tokenId: string,
): Promise<TokenInfo> {
  const now = services.now();
  const before = await services.auth.revokeTokenById(admin.orgId, tokenId, now);
  if (!before) throw new AppError('not_found', 'not_found', 'No such token.');
  if (before.revokedAt !== null) return before;
  await services.reviews.appendOrgEvent(
    newEvent(
      admin,
      'token.revoked',
      { type: 'token', id: tokenId },
      { before: { revokedAt: null }, after: { revokedAt: now.toISOString() } },
      now,
    ),
  );
  return { ...before, revokedAt: now.toISOString() };
}
