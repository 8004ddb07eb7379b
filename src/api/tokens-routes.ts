import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { createApiToken, revokeApiToken } from '../auth/user-admin';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import { CreatedToken, NewTokenRequest, PathId, TokenList, TokenView } from './review-schemas';
import { ErrorBody, errorResponses } from './schemas';
import { validationHook } from './validation-hook';

const security = [{ bearer: [] }];

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The organisation’s API tokens (never their secrets)',
  description: 'Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  responses: {
    200: { description: 'Tokens', content: { 'application/json': { schema: TokenList } } },
    ...errorResponses(401, 403),
  },
});

const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Create an API token for a user (an integration acts as that user, as they are now)',
  description:
    'The token is in the answer once; only its hash is stored. `role` (default: the user’s) is what the token is ' +
    'granted, at most the user’s role (400 otherwise). On every request the token acts with the role both its ' +
    'grant and its user’s current role allow: a demoted user’s token is demoted at once, a deactivated user’s ' +
    'token answers 401 until the user is reactivated, and a promotion never widens a token. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: NewTokenRequest } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: CreatedToken } } },
    ...errorResponses(400, 401, 403, 404),
    409: { description: 'The user is deactivated', content: { 'application/json': { schema: ErrorBody } } },
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Revoke an API token',
  description: 'It stops working at once. Revoking a revoked token changes nothing. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: { params: PathId('tok_01JD2W3X4Y5Z6A7B8C9D0E1F2G') },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: TokenView } } },
    ...errorResponses(401, 403, 404),
  },
});

export const tokensRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

tokensRoutes.use('*', bearerAuth());

tokensRoutes
  .openapi(list, async (c) => {
    const tokens = await c.var.services.auth.listTokens(c.var.principal.orgId);
    return c.json({ items: tokens.map(({ orgId: _o, ...t }) => t) }, 200);
  })
  .openapi(create, async (c) => {
    const { token, info } = await createApiToken(c.var.services, c.var.principal, c.req.valid('json'));
    const { orgId: _o, ...view } = info;
    return c.json({ token, info: view }, 201);
  })
  .openapi(revoke, async (c) => {
    const { orgId: _o, ...view } = await revokeApiToken(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
    );
    return c.json(view, 200);
  });
