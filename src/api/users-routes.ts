import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { changeUser, createSignInLink, createUser, UserChange } from '../auth/user-admin';
import { AppError } from '../core/app-error';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import {
  NewUserRequest,
  PathId,
  SignInLinkView,
  toUserView,
  UserChangeRequest,
  UserList,
  UserView,
} from './review-schemas';
import { ErrorBody, errorResponses } from './schemas';
import { validationHook } from './validation-hook';

const security = [{ bearer: [] }];
const params = PathId('usr_01JD2W3X4Y5Z6A7B8C9D0E1F2G');
const conflict = (description: string) => ({
  409: { description, content: { 'application/json': { schema: ErrorBody } } },
});

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The organisation’s users',
  description: 'Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  responses: {
    200: { description: 'Users', content: { 'application/json': { schema: UserList } } },
    ...errorResponses(401, 403),
  },
});

const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Create a user with a role',
  description: 'Give them a sign-in link (`POST /v1/users/{id}/sign-in-links`) to let them in. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: NewUserRequest } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: UserView } } },
    ...errorResponses(400, 401, 403),
    ...conflict('A user with this e-mail exists'),
  },
});

const update = createRoute({
  method: 'patch',
  path: '/{id}',
  summary: 'Change a user’s role, or deactivate or reactivate them',
  description: 'A deactivated user’s sessions and sign-in links stop working at once. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: {
    params,
    body: { required: true, content: { 'application/json': { schema: UserChangeRequest } } },
  },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: UserView } } },
    ...errorResponses(400, 401, 403, 404),
    ...conflict('Admins cannot demote or deactivate themselves'),
  },
});

const link = createRoute({
  method: 'post',
  path: '/{id}/sign-in-links',
  summary: 'A one-time sign-in link for a user',
  description: 'Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: { params },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: SignInLinkView } } },
    ...errorResponses(401, 403, 404),
    ...conflict('The user is deactivated'),
  },
});

export const usersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

usersRoutes.use('*', bearerAuth());

usersRoutes
  .openapi(list, async (c) => {
    const users = await c.var.services.auth.listUsers(c.var.principal.orgId);
    return c.json({ items: users.map(toUserView) }, 200);
  })
  .openapi(create, async (c) => {
    const user = await createUser(c.var.services, c.var.principal, c.req.valid('json'));
    return c.json(toUserView(user), 201);
  })
  .openapi(update, async (c) => {
    const change = UserChange.safeParse(c.req.valid('json'));
    if (!change.success) {
      throw new AppError('bad_request', 'invalid_request', 'Give a role or active to change.', {
        details: { field: '(body)' },
      });
    }
    const user = await changeUser(c.var.services, c.var.principal, c.req.valid('param').id, change.data);
    return c.json(toUserView(user), 200);
  })
  .openapi(link, async (c) => {
    const created = await createSignInLink(c.var.services, c.var.principal, c.req.valid('param').id);
    const url = `${new URL(c.req.url).origin}/sign-in?code=${encodeURIComponent(created.code)}`;
    return c.json({ code: created.code, url, expiresAt: created.expiresAt.toISOString() }, 201);
  });
