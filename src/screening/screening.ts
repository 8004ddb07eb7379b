import { z } from 'zod';
import { HiddenSpan } from '../extraction/hidden-span';

/**
 * A screening is one candidate's material going through the pipeline:
 *
 *   queued -> extracting -> drafting -> drafted -> approved | rejected
 *   queued | extracting | drafting -> failed (with a reason; retryable or not)
 *   failed -> queued (re-queued by an admin)
 *   drafted -> changes_requested (a reviewer needs more before deciding: the notes say what, e.g. a take-home or an
 *     answer from the recruiter; the screening leaves the review queue's `drafted` partition and waits in its own)
 *   changes_requested -> approved | rejected (a reviewer decides once it is addressed)
 *   changes_requested -> queued (re-queued by an admin to draft again, e.g. after new material)
 *
 * Every transition is a conditional write on `status` and `version`, so a duplicate delivery of a job, two workers, or
 * two reviewers can never both win.
 */
export const ScreeningStatus = z.enum([
  'queued',
  'extracting',
  'drafting',
  'drafted',
  'approved',
  'rejected',
  'failed',
  'changes_requested',
]);
export type ScreeningStatus = z.infer<typeof ScreeningStatus>;

/** Statuses in which a worker owns (or should own) the screening. */
export const workingStatuses = [
  'queued',
  'extracting',
  'drafting',
] as const satisfies readonly ScreeningStatus[];

export const StatusReason = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type StatusReason = z.infer<typeof StatusReason>;

export const CandidateFields = z.object({
  name: z.string().trim().min(1).max(200).nullable(),
  email: z.email().max(320).nullable(),
  externalId: z.string().trim().min(1).max(200).nullable(),
  position: z.string().trim().min(1).max(200).nullable(),
});
export type CandidateFields = z.infer<typeof CandidateFields>;

export const FileKind = z.enum([
  'pdf',
  'docx',
  'text',
  // Take-home archives (src/takehome).
  'zip',
  'tar.gz',
]);

export const Submission = z.object({
  id: z.string(),
  kind: z.enum(['resume', 'take-home']),
  fileKind: FileKind,
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  sha256: z.string(),
  blobKey: z.string(),
  textKey: z.string().nullable(),
  charCount: z.number().int().min(0).nullable(),
  pageCount: z.number().int().min(0).nullable(),
  uploadedAt: z.iso.datetime(),
});
export type Submission = z.infer<typeof Submission>;

/** What a screening assesses: a resume, or a take-home code submission (see `prompts/rubrics/`). */
export const ScreeningKind = z.enum(['resume', 'take-home']);
export type ScreeningKind = z.infer<typeof ScreeningKind>;

export const Screening = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: ScreeningKind,
  /** One person's screenings (a resume and a take-home) share it. */
  candidateId: z.string(),
  status: ScreeningStatus,
  statusReason: StatusReason.nullable(),
  version: z.number().int().min(1),
  candidate: CandidateFields,
  rubricId: z.string(),
  source: z.enum(['upload', 'cli', 'webhook']),
  createdBy: z.string(),
  receivedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  attempts: z.number().int().min(0),
  leaseExpiresAt: z.iso.datetime().nullable(),
  submissionIds: z.array(z.string()),
  /** The distinct flag codes of the draft, set when it is saved (absent before): the review queue filters on them. */
  flagCodes: z.array(z.string()).optional(),
  // Re-drafts and stale rubrics (absent on older items).
  /** The last admin re-queue: the draft made after it skips the draft cache, and its provenance says so. */
  redraft: z.object({ requestedBy: z.string(), requestedAt: z.iso.datetime() }).optional(),
  /** The hash of the rubric the saved draft was made with (set with `flagCodes`): how the queue tells stale drafts. */
  rubricHash: z.string().optional(),
});
export type Screening = z.infer<typeof Screening>;

/** The extracted text of a resume as stored beside the upload (`blobKeys.text`): what the worker drafts from. */
export const StoredText = z.object({
  text: z.string(),
  kind: FileKind,
  pageCount: z.number().int().min(0).nullable(),
  warnings: z.array(z.string()),
  /** Text a human would not see, already left out of `text`; shown to the reviewer, never to the model. */
  hidden: z.array(HiddenSpan).default([]),
});
export type StoredText = z.infer<typeof StoredText>;
