import { z } from '@hono/zod-openapi';
import { Assessment } from '../assessment/assessment';
import { Screening, ScreeningKind, ScreeningStatus, Submission } from '../screening/screening';

/** API shapes, derived from the domain schemas so the spec, the validation and the stored data agree. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'no_extractable_text' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

export const ScreeningView = Screening.omit({ leaseExpiresAt: true }).openapi('Screening');

export const ScreeningDetail = z
  .object({
    screening: ScreeningView,
    submissions: z.array(Submission.omit({ blobKey: true, textKey: true }).openapi('Submission')),
    assessment: Assessment.nullable().openapi({ description: 'The AI draft, once drafted' }),
  })
  .openapi('ScreeningDetail');

/** Another screening of the same candidate created or found by the same request (a take-home beside a resume). */
export const RelatedScreening = z
  .object({ id: z.string(), kind: ScreeningKind, status: ScreeningStatus })
  .openapi('RelatedScreening');

export const Accepted = z
  .object({
    id: z.string().openapi({ example: 'scr_01JD2W3X4Y5Z6A7B8C9D0E1F2G' }),
    status: ScreeningStatus,
    links: z.object({ self: z.string() }),
    related: z.array(RelatedScreening),
  })
  .openapi('ScreeningAccepted');

export const ScreeningList = z
  .object({ items: z.array(ScreeningView), nextCursor: z.string().nullable() })
  .openapi('ScreeningList');

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : v));

/**
 * A browser sends an untouched file input as a part with an empty file name, which arrives as an empty string (or, from
 * some clients, a nameless empty file): that is no file, not a bad one.
 */
const optionalFile = (description: string) =>
  z
    .custom<File | ''>((v) => v instanceof File || v === '', { message: 'a file is required' })
    .optional()
    .openapi({ type: 'string', format: 'binary', description })
    .transform((file) => (file === '' || (file && file.size === 0 && file.name === '') ? undefined : file));

export const UploadForm = z
  .object({
    resume: optionalFile('PDF, DOCX, plain text or Markdown. Optional when `takeHome` is given.'),
    takeHome: optionalFile(
      'A take-home project as a .zip or .tar.gz archive, screened as a second screening of the same candidate.',
    ),
    candidateName: optionalText(200).openapi({
      description:
        'Optional, but it makes blind screening more reliable: removed wherever the resume uses it. Without it the ' +
        'name is read from the resume; a resume whose name cannot be found fails closed (`blind_screening_failed`).',
    }),
    candidateEmail: z
      .union([z.email().max(320), z.literal('')])
      .optional()
      .transform((v) => (v ? v : null)),
    externalId: optionalText(200),
    position: optionalText(200),
    rubricId: optionalText(100).openapi({
      description:
        'The rubric the resume is drafted with, an id of kind `resume` from `GET /v1/org/rubrics`. Optional: the ' +
        'organisation’s choice (`resumeRubricId` in `/v1/org/settings`), else the deployment’s. An unknown id, or a ' +
        'take-home rubric, is refused with 400 (`unknown_rubric`, field `rubricId`) and nothing is stored.',
      example: 'senior-python-data-engineer',
    }),
  })
  .superRefine((form, ctx) => {
    if (!form.resume && !form.takeHome) {
      ctx.addIssue({
        code: 'custom',
        path: ['resume'],
        message: 'a resume or a takeHome archive is required',
      });
    }
  })
  .openapi('ResumeUpload');

export const ListQuery = z.object({
  status: ScreeningStatus.default('drafted'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
  flag: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .openapi({ description: 'Only screenings whose draft carries this flag code', example: 'hidden_text' }),
});

export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'scr_01JD2W3X4Y5Z6A7B8C9D0E1F2G' }),
});

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: describeStatus(s), content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );

function describeStatus(status: number): string {
  switch (status) {
    case 400:
      return 'Malformed request; the message names the field';
    case 401:
      return 'Missing or invalid bearer token';
    case 403:
      return 'The caller’s role may not do this';
    case 404:
      return 'No such screening in the caller’s organisation';
    case 409:
      return 'The screening is not in a state that allows this';
    case 413:
      return 'The file is over the size limit';
    case 415:
      return 'Not a PDF, DOCX, plain text or Markdown file (decided from the bytes)';
    case 422:
      return 'The file has no extractable text (empty, scanned, encrypted); the upload is kept';
    default:
      return 'Error';
  }
}
