import type { Principal } from '../auth/auth-store';
import { blobKeys } from '../blob/blob-store';
import { AppError, isAppError } from '../core/app-error';
import { sha256Hex } from '../core/hash';
import { newId } from '../core/ids';
import type { Services } from '../core/services';
import { detectFileType } from '../extraction/detect-file-type';
import { contentTypeFor, type ExtractedDocument } from '../extraction/extract';
import { resumeRubricFor } from '../rubric/rubric-choice';
import type { CandidateFields, Screening, StoredText, Submission } from './screening';
import { sendJob } from './send-job';

export interface ResumeUpload {
  bytes: Uint8Array;
  filename: string;
  candidate: CandidateFields;
  source: Screening['source'];
  /** Links the screening to an existing candidate (a take-home for the same person); new otherwise. */
  candidateId?: string;
  /**
   * The id to create the screening under; new otherwise. Webhooks fix it per ATS application before intake, so a
   * retried delivery can only ever re-create the same screening, which the conditional create refuses.
   */
  screeningId?: string;
  /** A resume rubric from the catalogue; absent: the organisation's, else the deployment's (`rubric-choice.ts`). */
  rubricId?: string | null;
}

/**
 * Takes a resume in: decides its type from its bytes, keeps the upload, extracts its text, records the screening and
 * queues the draft. The upload is stored before anything can fail on its content, so a file we cannot read is kept:
 * its screening is recorded as `failed` with the reason, and the caller gets the error (a 422 with the screening id).
 */
export async function submitResume(
  services: Services,
  principal: Principal,
  upload: ResumeUpload,
): Promise<Screening> {
  const { blobs, config } = services;
  if (upload.bytes.byteLength > config.maxUploadBytes) {
    throw new AppError(
      'payload_too_large',
      'file_too_large',
      `The file is larger than ${config.maxUploadBytes} bytes.`,
      {
        details: { limitBytes: config.maxUploadBytes },
      },
    );
  }
  // Unknown or disguised types are refused before anything is stored: they are not a candidate's resume.
  const fileKind = detectFileType(upload.bytes);
  // So is a rubric this deployment does not have (a 400 naming `rubricId`).
  const rubricId = await resumeRubricFor(services, principal.orgId, upload.rubricId);

  const now = services.now();
  const screeningId = upload.screeningId ?? newId('scr');
  const candidateId = upload.candidateId ?? newId('cand');
  const submissionId = newId('sub');
  const blobKey = blobKeys.upload(principal.orgId, submissionId);
  await blobs.put(blobKey, upload.bytes, contentTypeFor(fileKind));

  // Without an extractor here (the API function on AWS), the worker extracts in the `extracting` step.
  let extracted: ExtractedDocument | null = null;
  let failure: AppError | null = null;
  if (services.extract) {
    try {
      extracted = await services.extract(upload.bytes);
    } catch (error) {
      if (!isAppError(error)) throw error;
      failure = error;
    }
  }
  const textKey = extracted ? await storeText(services, principal.orgId, submissionId, extracted) : null;

  const submission: Submission = {
    id: submissionId,
    kind: 'resume',
    fileKind,
    filename: upload.filename,
    contentType: contentTypeFor(fileKind),
    sizeBytes: upload.bytes.byteLength,
    sha256: sha256Hex(upload.bytes),
    blobKey,
    textKey,
    charCount: extracted?.charCount ?? null,
    pageCount: extracted?.pageCount ?? null,
    uploadedAt: now.toISOString(),
  };
  return recordScreening(
    services,
    principal,
    {
      id: screeningId,
      kind: 'resume',
      candidateId,
      candidate: upload.candidate,
      rubricId,
      source: upload.source,
    },
    submission,
    failure,
  );
}

/**
 * The end of every intake, resume or take-home: the screening is written with its submission, `queued`, or `failed`
 * with the refusal of a file we could not read (the upload is kept, the caller gets the error with the screening id);
 * a queued one's job is then sent. Recorded as queued first: a failed send is the sweep's to repair, not the
 * uploader's (send-job.ts).
 */
export async function recordScreening(
  services: Services,
  principal: Principal,
  fields: Pick<Screening, 'id' | 'kind' | 'candidateId' | 'candidate' | 'rubricId' | 'source'>,
  submission: Submission,
  failure: AppError | null,
): Promise<Screening> {
  const screening: Screening = {
    ...fields,
    orgId: principal.orgId,
    status: failure ? 'failed' : 'queued',
    statusReason: failure ? { code: failure.code, message: failure.message, retryable: false } : null,
    version: 1,
    createdBy: principal.userId,
    receivedAt: submission.uploadedAt,
    updatedAt: submission.uploadedAt,
    attempts: 0,
    leaseExpiresAt: null,
    submissionIds: [submission.id],
  };
  await services.screenings.create(screening, [submission]);
  if (failure) {
    throw new AppError(failure.kind, failure.code, failure.message, {
      cause: failure,
      details: { ...failure.details, screeningId: screening.id },
    });
  }
  await sendJob(services, principal.orgId, screening.id);
  return screening;
}

/** Saves extracted text beside the upload (`blobKeys.text`) and returns its key. */
export async function storeText(
  services: Pick<Services, 'blobs'>,
  orgId: string,
  submissionId: string,
  extracted: ExtractedDocument,
): Promise<string> {
  const key = blobKeys.text(orgId, submissionId);
  const stored = toStoredText(extracted);
  await services.blobs.put(key, new TextEncoder().encode(JSON.stringify(stored)), 'application/json');
  return key;
}

export const toStoredText = (extracted: ExtractedDocument): StoredText => ({
  text: extracted.text,
  kind: extracted.kind,
  pageCount: extracted.pageCount,
  warnings: extracted.warnings,
  hidden: extracted.hidden,
});
