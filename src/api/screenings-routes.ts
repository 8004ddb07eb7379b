import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../core/app-error';
import { isId } from '../core/ids';
import { requeueScreening } from '../review/review-actions';
import { submitUploads } from '../takehome/take-home-intake';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import {
  Accepted,
  ErrorBody,
  errorResponses,
  IdParam,
  ListQuery,
  ScreeningDetail,
  ScreeningList,
  ScreeningView,
  UploadForm,
} from './schemas';
import { validationHook } from './validation-hook';

const security = [{ bearer: [] }];
const notFound = () => new AppError('not_found', 'not_found', 'No such screening.');

/** Multipart framing around the file: the part headers and the candidate fields. */
const multipartOverheadBytes = 64 * 1024;

/**
 * 413 before the body is read when Content-Length says it is too big; chunked uploads carry no length, so the body is
 * also counted as it streams in. The limit comes from the config, so tests and deployments can set it.
 */
const uploadSizeLimit = () =>
  createMiddleware<AppEnv>(async function uploadSizeLimit(c, next) {
    const maxUploadBytes = c.var.services.config.maxUploadBytes;
    const tooLarge = () =>
      new AppError(
        'payload_too_large',
        'file_too_large',
        `The upload is over the ${maxUploadBytes}-byte limit.`,
        {
          details: { limitBytes: maxUploadBytes },
        },
      );
    // A request may carry a take-home archive beside the resume; each file is held to its own limit once parsed.
    const limit = maxUploadBytes + c.var.services.config.takeHome.maxUploadBytes + multipartOverheadBytes;
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    await bodyLimit({
      maxSize: limit,
      onError: () => {
        throw tooLarge();
      },
    })(c, next);
  });

const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Submit a resume for screening',
  description:
    'Stores the resume, extracts its text and queues an AI draft. Answers 202 with the screening id; poll ' +
    '`GET /v1/screenings/{id}` until `status` is `drafted`. A `takeHome` archive (.zip or .tar.gz) may come with ' +
    'the resume, or alone: it becomes a second screening of the same candidate, listed in `related`. `rubricId` ' +
    'chooses the resume’s rubric (the organisation’s default otherwise). ' +
    'Roles: recruiter, admin.',
  security,
  middleware: [requireRole('recruiter'), uploadSizeLimit()] as const,
  request: { body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } } },
  responses: {
    202: { description: 'Accepted and queued', content: { 'application/json': { schema: Accepted } } },
    ...errorResponses(400, 401, 403, 413, 415, 422),
  },
});

const get = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'A screening with its submissions and draft assessment',
  security,
  request: { params: IdParam },
  responses: {
    200: { description: 'The screening', content: { 'application/json': { schema: ScreeningDetail } } },
    ...errorResponses(401, 404),
  },
});

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The review queue: screenings of the caller’s organisation in one status, oldest first',
  security,
  request: { query: ListQuery },
  responses: {
    200: { description: 'One page', content: { 'application/json': { schema: ScreeningList } } },
    ...errorResponses(400, 401),
  },
});

const requeue = createRoute({
  method: 'post',
  path: '/{id}/requeue',
  summary: 'Queue a failed screening (or one with changes requested) again',
  description: 'Recorded in the audit trail. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParam },
  responses: {
    202: { description: 'Queued again', content: { 'application/json': { schema: ScreeningView } } },
    ...errorResponses(401, 403, 404),
    409: {
      description: 'The screening has not failed and has no changes requested',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

export const screeningsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

screeningsRoutes.use('*', bearerAuth());

screeningsRoutes
  .openapi(create, async (c) => {
    const form = c.req.valid('form');
    const file = async (f: File | undefined, fallback: string) =>
      f ? { bytes: new Uint8Array(await f.arrayBuffer()), filename: f.name || fallback } : undefined;
    // A resume, a take-home, or both for one candidate (src/takehome/take-home-intake.ts).
    const { screening, related } = await submitUploads(c.var.services, c.var.principal, {
      resume: await file(form.resume, 'resume'),
      takeHome: await file(form.takeHome, 'take-home'),
      candidate: {
        name: form.candidateName,
        email: form.candidateEmail,
        externalId: form.externalId,
        position: form.position,
      },
      source: 'upload',
      rubricId: form.rubricId,
    });
    const self = `/v1/screenings/${screening.id}`;
    c.header('Location', self);
    return c.json({ id: screening.id, status: screening.status, links: { self }, related }, 202);
  })
  .openapi(list, async (c) => {
    const query = c.req.valid('query');
    const page = await c.var.services.screenings.listByStatus(c.var.principal.orgId, query.status, {
      limit: query.limit,
      cursor: query.cursor,
      flag: query.flag,
    });
    return c.json(
      { items: page.items.map(({ leaseExpiresAt: _l, ...s }) => s), nextCursor: page.nextCursor },
      200,
    );
  })
  .openapi(get, async (c) => {
    const { id } = c.req.valid('param');
    if (!isId('scr', id)) throw notFound();
    const record = await c.var.services.screenings.get(c.var.principal.orgId, id);
    if (!record) throw notFound();
    const { leaseExpiresAt: _l, ...screening } = record.screening;
    return c.json(
      {
        screening,
        submissions: record.submissions.map(({ blobKey: _b, textKey: _t, ...s }) => s),
        assessment: record.draft,
      },
      200,
    );
  })
  .openapi(requeue, async (c) => {
    const { id } = c.req.valid('param');
    // The review domain does it: the status change and its audit event in one transaction.
    const { leaseExpiresAt: _l, ...view } = await requeueScreening(c.var.services, c.var.principal, id);
    return c.json(view, 202);
  });
