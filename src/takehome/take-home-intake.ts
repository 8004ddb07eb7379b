import type { Principal } from '../auth/auth-store';
import { blobKeys } from '../blob/blob-store';
import { AppError, isAppError } from '../core/app-error';
import { sha256Hex } from '../core/hash';
import { newId } from '../core/ids';
import type { Services } from '../core/services';
import { detectFileType } from '../extraction/detect-file-type';
import { resumeRubricFor } from '../rubric/rubric-choice';
import { recordScreening, submitResume } from '../screening/intake';
import type { CandidateFields, Screening, ScreeningKind, Submission } from '../screening/screening';
import { detectArchiveKind } from './archive';
import { archiveError } from './archive-limits';
import { encodeTakeHome, readTakeHome, TAKE_HOME_CONTENT_TYPES } from './take-home';

/**
 * Takes a take-home in: the same contract as a resume. Its type is decided from its bytes (415 before anything is
 * stored); the upload is kept before anything can fail on its content; the archive is read safely at once, here and
 * not in the worker (it needs no heavy parser, and a hostile archive deserves its 4xx now); a refused archive leaves a
 * `failed` screening with the reason, and the caller gets the error with the screening id.
 */

export interface FileUpload {
  bytes: Uint8Array;
  filename: string;
}

export interface TakeHomeUpload extends FileUpload {
  candidate: CandidateFields;
  source: Screening['source'];
  /** The candidate the take-home belongs to (their resume's screening has it); new otherwise. */
  candidateId?: string;
}

export interface RelatedScreening {
  id: string;
  kind: ScreeningKind;
  status: Screening['status'];
}

function checkTakeHomeSize(services: Services, bytes: Uint8Array): void {
  const limit = services.config.takeHome.maxUploadBytes;
  if (bytes.byteLength > limit) {
    throw new AppError(
      'payload_too_large',
      'file_too_large',
      `The take-home archive is larger than ${limit} bytes.`,
      {
        details: { limitBytes: limit },
      },
    );
  }
}

export async function submitTakeHome(
  services: Services,
  principal: Principal,
  upload: TakeHomeUpload,
): Promise<Screening> {
  checkTakeHomeSize(services, upload.bytes);
  const archiveKind = detectArchiveKind(upload.bytes);
  const now = services.now();
  const screeningId = newId('scr');
  const submissionId = newId('sub');
  const blobKey = blobKeys.upload(principal.orgId, submissionId);
  const contentType = TAKE_HOME_CONTENT_TYPES[archiveKind];
  await services.blobs.put(blobKey, upload.bytes, contentType);

  let failure: AppError | null = null;
  let textKey: string | null = null;
  let charCount: number | null = null;
  try {
    const stored = readTakeHome(upload.bytes);
    textKey = blobKeys.text(principal.orgId, submissionId);
    await services.blobs.put(textKey, encodeTakeHome(stored), 'application/json');
    charCount = stored.files.reduce((n, f) => n + f.content.length, 0);
  } catch (error) {
    if (isAppError(error)) failure = error;
    else {
      services.logger.error('the take-home reader failed on an archive', { error, screeningId });
      failure = archiveError.unreadable(error);
    }
  }

  const submission: Submission = {
    id: submissionId,
    kind: 'take-home',
    fileKind: archiveKind,
    filename: upload.filename,
    contentType,
    sizeBytes: upload.bytes.byteLength,
    sha256: sha256Hex(upload.bytes),
    blobKey,
    textKey,
    charCount,
    pageCount: null,
    uploadedAt: now.toISOString(),
  };
  return recordScreening(
    services,
    principal,
    {
      id: screeningId,
      kind: 'take-home',
      candidateId: upload.candidateId ?? newId('cand'),
      candidate: upload.candidate,
      rubricId: services.config.takeHome.rubricId,
      source: upload.source,
    },
    submission,
    failure,
  );
}

export interface Uploads {
  resume?: FileUpload | undefined;
  takeHome?: FileUpload | undefined;
  candidate: CandidateFields;
  source: Screening['source'];
  /** The resume's rubric (the take-home has its own); absent: the organisation's, else the deployment's. */
  rubricId?: string | null | undefined;
}

/**
 * A resume, a take-home, or both for one new candidate. Both files are typed and sized before either is stored, so a
 * wrong file type loses nothing and stores nothing; then each is taken in on its own, and when one of them fails on
 * its content the other is still kept and queued: the error names both screenings (`screeningId` and `related`).
 */
export async function submitUploads(
  services: Services,
  principal: Principal,
  uploads: Uploads,
): Promise<{ screening: RelatedScreening; related: RelatedScreening[] }> {
  const { resume, takeHome } = uploads;
  if (resume) {
    if (resume.bytes.byteLength > services.config.maxUploadBytes) {
      throw new AppError(
        'payload_too_large',
        'file_too_large',
        `The file is larger than ${services.config.maxUploadBytes} bytes.`,
        {
          details: { limitBytes: services.config.maxUploadBytes },
        },
      );
    }
    detectFileType(resume.bytes);
  }
  if (takeHome) {
    checkTakeHomeSize(services, takeHome.bytes);
    detectArchiveKind(takeHome.bytes);
  }
  // A rubric named for the upload is checked before anything is stored, even with no resume to apply it to.
  const rubricId = uploads.rubricId
    ? await resumeRubricFor(services, principal.orgId, uploads.rubricId)
    : null;

  const candidateId = newId('cand');
  const done: RelatedScreening[] = [];
  let firstFailure: AppError | null = null;
  const take = async (kind: ScreeningKind, submit: () => Promise<Screening>) => {
    try {
      const screening = await submit();
      done.push({ id: screening.id, kind, status: screening.status });
    } catch (error) {
      const screeningId = isAppError(error) ? error.details?.screeningId : undefined;
      if (!isAppError(error) || typeof screeningId !== 'string') throw error;
      done.push({ id: screeningId, kind, status: 'failed' });
      firstFailure ??= error;
    }
  };
  const common = { candidate: uploads.candidate, source: uploads.source, candidateId };
  if (resume)
    await take('resume', () => submitResume(services, principal, { ...resume, ...common, rubricId }));
  if (takeHome)
    await take('take-home', () => submitTakeHome(services, principal, { ...takeHome, ...common }));

  const failure = firstFailure as AppError | null;
  const [screening, ...related] = done;
  if (failure) {
    const failedId = failure.details?.screeningId;
    throw new AppError(failure.kind, failure.code, failure.message, {
      cause: failure,
      details: { ...failure.details, related: done.filter((s) => s.id !== failedId) },
    });
  }
  if (!screening)
    throw new AppError('bad_request', 'invalid_request', 'A resume or a take-home archive is required.');
  return { screening, related };
}
