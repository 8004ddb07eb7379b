import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../core/app-error';
import { isId } from '../core/ids';
import type { Services } from '../core/services';
import { ScreeningKind, ScreeningStatus } from '../screening/screening';
import { type RelatedScreening, submitTakeHome } from '../takehome/take-home-intake';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import { Accepted, errorResponses } from './schemas';
import { validationHook } from './validation-hook';

/**
 * A candidate is the person behind one or more screenings (a resume, take-homes). Candidates are not created on their
 * own: the first screening creates one, and a take-home can be attached to an existing one here.
 */

const security = [{ bearer: [] }];
const notFound = () => new AppError('not_found', 'not_found', 'No such candidate.');
const multipartOverheadBytes = 64 * 1024;

const CandidateParam = z.object({
  candidateId: z
    .string()
    .openapi({ param: { name: 'candidateId', in: 'path' }, example: 'cand_01JD2W3X4Y5Z6A7B8C9D0E1F2G' }),
});

const TakeHomeForm = z
  .object({
    takeHome: z
      .custom<File>((v) => v instanceof File, { message: 'a file is required' })
      .openapi({ type: 'string', format: 'binary', description: 'The project as a .zip or .tar.gz archive' }),
  })
  .openapi('TakeHomeUpload');

const CandidateView = z
  .object({
    candidateId: z.string(),
    screenings: z.array(
      z.object({ id: z.string(), kind: ScreeningKind, status: ScreeningStatus, receivedAt: z.string() }),
    ),
  })
  .openapi('Candidate');

const takeHomeSizeLimit = () =>
  createMiddleware<AppEnv>(async function takeHomeSizeLimit(c, next) {
    const limit = c.var.services.config.takeHome.maxUploadBytes;
    const tooLarge = () =>
      new AppError('payload_too_large', 'file_too_large', `The upload is over the ${limit}-byte limit.`, {
        details: { limitBytes: limit },
      });
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit + multipartOverheadBytes) throw tooLarge();
    await bodyLimit({
      maxSize: limit + multipartOverheadBytes,
      onError: () => {
        throw tooLarge();
      },
    })(c, next);
  });

const get = createRoute({
  method: 'get',
  path: '/{candidateId}',
  summary: 'A candidate’s screenings (resume and take-homes), oldest first',
  security,
  request: { params: CandidateParam },
  responses: {
    200: { description: 'The candidate', content: { 'application/json': { schema: CandidateView } } },
    ...errorResponses(401, 404),
  },
});

const attach = createRoute({
  method: 'post',
  path: '/{candidateId}/take-homes',
  summary: 'Attach a take-home submission to a candidate',
  description:
    'Reads the archive safely (limits on entries, sizes and compression ratio; no links, traversal or nested ' +
    'archives), selects the files worth reviewing and queues a take-home screening of the same candidate. Roles: ' +
    'recruiter, admin.',
  security,
  middleware: [requireRole('recruiter'), takeHomeSizeLimit()] as const,
  request: {
    params: CandidateParam,
    body: { required: true, content: { 'multipart/form-data': { schema: TakeHomeForm } } },
  },
  responses: {
    202: { description: 'Accepted and queued', content: { 'application/json': { schema: Accepted } } },
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

/** The candidate's screenings with their current status, or null when the organisation has no such candidate. */
async function screeningsOf(services: Services, orgId: string, candidateId: string) {
  if (!isId('cand', candidateId)) return null;
  const links = await services.screenings.listCandidateScreenings(orgId, candidateId);
  const found = await Promise.all(links.map((l) => services.screenings.getScreening(orgId, l.screeningId)));
  const screenings = found.filter((s) => s !== null);
  return screenings.length === 0 ? null : screenings;
}

export const candidatesRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

candidatesRoutes.use('*', bearerAuth());

candidatesRoutes
  .openapi(get, async (c) => {
    const { candidateId } = c.req.valid('param');
    const screenings = await screeningsOf(c.var.services, c.var.principal.orgId, candidateId);
    if (!screenings) throw notFound();
    return c.json(
      {
        candidateId,
        screenings: screenings.map((s) => ({
          id: s.id,
          kind: s.kind,
          status: s.status,
          receivedAt: s.receivedAt,
        })),
      },
      200,
    );
  })
  .openapi(attach, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { services, principal } = c.var;
    const existing = await screeningsOf(services, principal.orgId, candidateId);
    if (!existing) throw notFound();
    const form = c.req.valid('form');
    const latest = existing.at(-1);
    const related: RelatedScreening[] = existing.map((s) => ({ id: s.id, kind: s.kind, status: s.status }));
    let screening: Awaited<ReturnType<typeof submitTakeHome>>;
    try {
      screening = await submitTakeHome(services, principal, {
        bytes: new Uint8Array(await form.takeHome.arrayBuffer()),
        filename: form.takeHome.name || 'take-home',
        candidate: latest?.candidate ?? { name: null, email: null, externalId: null, position: null },
        source: 'upload',
        candidateId,
      });
    } catch (error) {
      if (error instanceof AppError && error.details?.screeningId) {
        throw new AppError(error.kind, error.code, error.message, {
          cause: error,
          details: { ...error.details, related },
        });
      }
      throw error;
    }
    const self = `/v1/screenings/${screening.id}`;
    c.header('Location', self);
    return c.json({ id: screening.id, status: screening.status, links: { self }, related }, 202);
  });
