import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../core/app-error';
import { isId } from '../core/ids';
import { decodeTakeHome, StoredTakeHome } from '../takehome/take-home';
import { bearerAuth } from './auth-middleware';
import type { AppEnv } from './env';
import { ErrorBody, errorResponses, IdParam } from './schemas';
import { validationHook } from './validation-hook';

/**
 * What Vetline made of a take-home archive, for the reviewer: the files it reviewed (without their contents), what
 * it skipped and why, and the static signals with their places. The draft itself is on `GET /v1/screenings/{id}`.
 */

const notFound = () => new AppError('not_found', 'not_found', 'No such take-home screening.');

const TakeHomeView = StoredTakeHome.omit({ files: true })
  .extend({
    screeningId: z.string(),
    candidateId: z.string(),
    files: z.array(StoredTakeHome.shape.files.element.omit({ content: true })),
  })
  .openapi('TakeHome');

const get = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'The files, skipped entries and static signals of a take-home screening',
  security: [{ bearer: [] }],
  request: { params: IdParam },
  responses: {
    200: { description: 'The take-home as read', content: { 'application/json': { schema: TakeHomeView } } },
    ...errorResponses(401, 404),
    409: {
      description: 'The archive was refused, so there is nothing to show (the screening says why)',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

export const takeHomesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

takeHomesRoutes.use('*', bearerAuth());

takeHomesRoutes.openapi(get, async (c) => {
  const { id } = c.req.valid('param');
  if (!isId('scr', id)) throw notFound();
  const { services, principal } = c.var;
  const record = await services.screenings.get(principal.orgId, id);
  const submission = record?.submissions.find((s) => s.kind === 'take-home');
  if (!record || !submission) throw notFound();
  const blob = submission.textKey ? await services.blobs.get(submission.textKey) : null;
  if (!blob) {
    throw new AppError(
      'conflict',
      'not_read',
      'The archive was not read; the screening’s status reason says why.',
      {
        details: { status: record.screening.status, reason: record.screening.statusReason },
      },
    );
  }
  const { files, ...stored } = decodeTakeHome(blob.bytes);
  return c.json(
    {
      ...stored,
      screeningId: id,
      candidateId: record.screening.candidateId,
      files: files.map(({ content: _c, ...file }) => file),
    },
    200,
  );
});
