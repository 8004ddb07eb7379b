import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../api/env';
import { AppError } from '../core/app-error';
import type { Role } from './auth-store';
import type { WebSession } from './session-store';

/** Hono variables of the web pages: the API's, plus the signed-in session. */
export interface WebEnv {
  Variables: AppEnv['Variables'] & { session: WebSession };
}

/**
 * Session cookies: HttpOnly, SameSite=Lax, Path=/. Secure (and `__Host-` prefixed, which browsers only accept with
 * Secure) everywhere except on a loopback address over plain HTTP, where local development runs and browsers refuse
 * Secure cookies from `http://127.0.0.1` in some cases.
 */
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]' || hostname === '::1';

export const isSecureRequest = (c: Context): boolean => {
  const url = new URL(c.req.url);
  return url.protocol === 'https:' || !isLoopback(url.hostname);
};

const sessionCookie = (secure: boolean) => (secure ? '__Host-vetline_session' : 'vetline_session');
const preSessionCookie = (secure: boolean) => (secure ? '__Host-vetline_csrf' : 'vetline_csrf');

const cookieOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'Lax', secure, path: '/' }) as const;

export function setSessionCookie(c: Context, value: string, expiresAt: Date): void {
  const secure = isSecureRequest(c);
  setCookie(c, sessionCookie(secure), value, { ...cookieOptions(secure), expires: expiresAt });
}

export function clearSessionCookie(c: Context): void {
  const secure = isSecureRequest(c);
  deleteCookie(c, sessionCookie(secure), cookieOptions(secure));
}

export const readSessionCookie = (c: Context): string | undefined =>
  getCookie(c, sessionCookie(isSecureRequest(c)));

/**
 * The CSRF token of a page without a session (the sign-in form): a random value in a cookie that must come back in
 * the form (double submit), so another site cannot sign a browser in to an account of its choosing.
 */
export function preSessionCsrf(c: Context): string {
  const secure = isSecureRequest(c);
  const existing = getCookie(c, preSessionCookie(secure));
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  setCookie(c, preSessionCookie(secure), value, { ...cookieOptions(secure), maxAge: 60 * 60 });
  return value;
}

export const readPreSessionCsrf = (c: Context): string | undefined =>
  getCookie(c, preSessionCookie(isSecureRequest(c)));

export function tokensMatch(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Browsers say where a request comes from; a cross-site form post is refused before its token is even read. */
export function assertSameOrigin(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
  const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== new URL(c.req.url).origin;
  if (crossSite || foreignOrigin) {
    throw new AppError(
      'forbidden',
      'cross_site_request',
      'This form can only be sent from Vetline’s own pages.',
    );
  }
}

/**
 * Resolves the session cookie to a principal. Without a session, a page request goes to the sign-in page (and comes
 * back after); anything else answers 401.
 */
export const sessionAuth = () =>
  createMiddleware<WebEnv>(async function sessionAuth(c, next) {
    const raw = readSessionCookie(c);
    const { services } = c.var;
    const session = raw ? await services.sessions.resolve(raw, services.now()) : null;
    if (!session) {
      if (c.req.method === 'GET') {
        const url = new URL(c.req.url);
        return c.redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      throw new AppError('unauthorized', 'signed_out', 'Your session has ended. Sign in again.');
    }
    c.set('session', session);
    c.set('principal', session.principal);
    c.header('Cache-Control', 'no-store');
    await next();
  });

/**
 * Every state-changing request of a session carries its CSRF token, as the `_csrf` form field or the
 * `X-CSRF-Token` header (the upload script), and comes from the same origin.
 */
export const csrfProtection = () =>
  createMiddleware<WebEnv>(async function csrfProtection(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      assertSameOrigin(c);
      const header = c.req.header('x-csrf-token');
      const given = header ?? (await c.req.parseBody())._csrf;
      if (!tokensMatch(c.var.session.csrf, given)) {
        throw new AppError(
          'forbidden',
          'csrf_failed',
          'The form has expired. Reload the page and try again.',
        );
      }
    }
    await next();
  });

/** Only these roles pass; admins pass every role check (as with API tokens). */
export const requireWebRole = (...roles: Role[]) =>
  createMiddleware<WebEnv>(async function requireWebRole(c, next) {
    const { role } = c.var.principal;
    if (role !== 'admin' && !roles.includes(role)) {
      throw new AppError('forbidden', 'forbidden', 'Your role does not give access to this page.');
    }
    await next();
  });
