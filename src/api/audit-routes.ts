import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import { AuditList, AuditQuery } from './review-schemas';
import { errorResponses } from './schemas';
import { validationHook } from './validation-hook';

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The organisation’s audit trail, newest first',
  description:
    'Every review decision, re-queue, user and token change: who, what, when, before and after. Append-only. ' +
    'One screening’s trail is also in `GET /v1/reviews/{id}`. Roles: admin.',
  security: [{ bearer: [] }],
  middleware: [requireRole('admin')] as const,
  request: { query: AuditQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: AuditList } } },
    ...errorResponses(400, 401, 403),
  },
});

export const auditRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

auditRoutes.use('*', bearerAuth());

auditRoutes.openapi(list, async (c) => {
  const query = c.req.valid('query');
  const page = await c.var.services.reviews.listOrgEvents(c.var.principal.orgId, query);
  return c.json(page, 200);
});
