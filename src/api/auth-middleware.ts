import { createMiddleware } from 'hono/factory';
import type { Role } from '../auth/auth-store';
import { AppError } from '../core/app-error';
import type { AppEnv } from './env';

export interface BearerAuthOptions {
  /** Realm in the WWW-Authenticate challenge. */
  realm?: string;
}

/** Resolves `Authorization: Bearer <token>` to a principal (organisation, user, role), or answers 401. */
export const bearerAuth = ({ realm = 'vetline' }: BearerAuthOptions = {}) =>
  createMiddleware<AppEnv>(async function bearerAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match?.[1] ? await c.var.services.auth.resolveToken(match[1]) : null;
    if (!principal) {
      c.header('WWW-Authenticate', `Bearer realm="${realm}"`);
      throw new AppError('unauthorized', 'unauthorized', 'A valid bearer token is required.');
    }
    c.set('principal', principal);
    await next();
  });

/** Lets the request through only for the given roles. Admins may do anything a route allows to any role. */
export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async function requireRole(c, next) {
    const { role } = c.var.principal;
    if (role !== 'admin' && !roles.includes(role)) {
      throw new AppError(
        'forbidden',
        'forbidden',
        `This action needs one of the roles: ${roles.join(', ')}.`,
      );
    }
    await next();
  });
