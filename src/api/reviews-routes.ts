import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { loadReview, submitReview } from '../review/review-actions';
import { staleRubricOf } from '../review/stale-rubric';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import { PathId, ReviewRequest, ReviewResult, ReviewView } from './review-schemas';
import { ErrorBody, errorResponses } from './schemas';
import { validationHook } from './validation-hook';

const security = [{ bearer: [] }];
const params = PathId('scr_01JD2W3X4Y5Z6A7B8C9D0E1F2G');

const get = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'A screening’s review: the AI draft, the human final beside it, and the audit trail',
  description: 'Roles: any in the organisation.',
  security,
  request: { params },
  responses: {
    200: { description: 'The review', content: { 'application/json': { schema: ReviewView } } },
    ...errorResponses(401, 404),
  },
});

const post = createRoute({
  method: 'post',
  path: '/{id}',
  summary: 'Save a review, approve, reject or request changes',
  description:
    'Writes the human final (the draft is kept as it was), moves the status (`approve` -> approved, `reject` -> ' +
    'rejected, `request_changes` -> changes_requested, `save` keeps it) and appends an audit event, all in one ' +
    'transaction conditional on `expectedVersion`. Roles: reviewer, admin.',
  security,
  middleware: [requireRole('reviewer')] as const,
  request: { params, body: { required: true, content: { 'application/json': { schema: ReviewRequest } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: ReviewResult } } },
    ...errorResponses(400, 401, 403, 404),
    409: {
      description:
        'Someone else changed the screening since `expectedVersion` (`stale_version`), or it is not open',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

export const reviewsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

reviewsRoutes.use('*', bearerAuth());

reviewsRoutes
  .openapi(get, async (c) => {
    const record = await loadReview(c.var.services, c.var.principal, c.req.valid('param').id);
    const { leaseExpiresAt: _l, ...screening } = record.screening;
    return c.json(
      {
        screening,
        submissions: record.submissions.map(({ blobKey: _b, textKey: _t, ...s }) => s),
        draft: record.draft,
        final: record.final,
        pastFinals: record.pastFinals,
        events: record.events,
        staleRubric: await staleRubricOf(record.draft),
      },
      200,
    );
  })
  .openapi(post, async (c) => {
    const result = await submitReview(
      c.var.services,
      c.var.principal,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    const { leaseExpiresAt: _l, ...screening } = result.screening;
    return c.json({ screening, final: result.final, event: result.event }, 200);
  });
