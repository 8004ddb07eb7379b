import { Assessment, type Flag } from '../assessment/assessment';
import { blobKeys } from '../blob/blob-store';
import { isAppError } from '../core/app-error';
import type { Logger } from '../core/logger';
import type { Services } from '../core/services';
import { DraftError } from '../drafting/drafter';
import { loadPromptTemplate } from '../prompting/prompt-template';
import type { ScreeningJob } from '../queue/job-queue';
import { loadRubric } from '../rubric/rubric';
import type { Screening, StatusReason, Submission } from '../screening/screening';
import { StaleScreeningError } from '../store/screening-store';
import { groundTakeHomeDraft } from './ground-take-home';
import { buildMaterial } from './material';
import { decodeTakeHome, encodeTakeHome, readTakeHome, type StoredTakeHome } from './take-home';

/** The prompt template take-homes are drafted with (`prompts/templates/`). */
export const TAKE_HOME_TEMPLATE_ID = 'take-home-review';

/**
 * The worker's job for a take-home screening, called by `processScreeningJob` once it holds the claim: load what
 * intake read of the archive, build the material under the token budget, draft through the same `Drafter` port as
 * resumes (LLM or offline rules) against the take-home rubric and template, ground every quote in the code shown,
 * and store the draft. Same guarantees as resumes: a conditional claim, a lease, a status that says what happened.
 */
export async function processTakeHome(
  services: Services,
  job: ScreeningJob,
  claimed: Screening,
  log: Logger,
): Promise<void> {
  const { screenings, config } = services;
  let version = claimed.version;
  const fail = async (reason: StatusReason) => {
    try {
      await screenings.transition(job.orgId, job.screeningId, {
        from: ['extracting', 'drafting'],
        to: 'failed',
        expectedVersion: version,
        now: services.now(),
        reason,
        set: { leaseExpiresAt: null },
      });
      log.warn('take-home screening failed', { reason: reason.code });
    } catch (error) {
      if (!(error instanceof StaleScreeningError)) throw error;
    }
  };
  if (claimed.attempts > config.worker.maxAttempts) {
    await fail({
      code: 'too_many_attempts',
      message: `The screening was attempted ${claimed.attempts - 1} times without finishing.`,
      retryable: true,
    });
    return;
  }

  try {
    const record = await screenings.get(job.orgId, job.screeningId);
    const submission = record?.submissions.find((s) => s.kind === 'take-home');
    if (!submission) {
      await fail({
        code: 'text_missing',
        message: 'The screening has no take-home archive.',
        retryable: false,
      });
      return;
    }
    const loaded = await loadTakeHome(services, job, submission);
    if (!loaded.ok) {
      await fail(loaded.reason);
      return;
    }
    const [rubric, template] = await Promise.all([
      loadRubric(config.takeHome.rubricId),
      loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
    ]);
    version = (
      await screenings.transition(job.orgId, job.screeningId, {
        from: ['extracting'],
        to: 'drafting',
        expectedVersion: version,
        now: services.now(),
      })
    ).version;

    const material = buildMaterial(loaded.stored, { tokenBudget: config.takeHome.tokenBudget });
    const started = Date.now();
    const result = await services.drafter.draft({
      text: material.text,
      rubric,
      template,
      screeningId: job.screeningId,
    });
    const grounded = groundTakeHomeDraft(result.draft, material.shown, rubric);
    const flags: Flag[] = [...grounded.flags];
    if (result.drafter === 'offline') {
      flags.unshift({
        code: 'offline_drafter',
        severity: 'info',
        message:
          'Drafted by the offline rules drafter (no LLM): take-home rubric signals and static signals in the code.',
        competencyId: null,
        span: null,
      });
    }
    const assessment = Assessment.parse({
      ...result.draft,
      schemaVersion: 1,
      competencies: grounded.competencies,
      flags,
      provenance: {
        drafter: result.drafter,
        rubricId: rubric.id,
        rubricVersion: rubric.version,
        rubricHash: rubric.hash,
        promptId: template.id,
        promptVersion: template.version,
        promptHash: result.promptHash,
        model: result.model,
        temperature: result.temperature,
        samples: result.samples,
        usage: result.usage,
        costUsd: null,
        durationMs: Date.now() - started,
        createdAt: services.now().toISOString(),
      },
    });
    await screenings.saveDraft(job.orgId, job.screeningId, assessment, version, services.now());
    log.info('take-home drafted', {
      drafter: result.drafter,
      model: result.model,
      tokens: result.usage.totalTokens,
      materialTokens: material.tokens,
      chunksShown: material.shown.length,
      chunksOmitted: material.omitted.length,
      quotes: grounded.stats.quotes,
      verified: grounded.stats.verified,
    });
  } catch (error) {
    if (error instanceof StaleScreeningError) {
      log.warn('take-home screening moved on while this worker held it; result discarded');
      return;
    }
    if (error instanceof DraftError) {
      await fail({ code: error.code, message: error.message, retryable: error.retryable });
      return;
    }
    log.error('take-home job crashed', { error });
    await fail({
      code: 'internal_error',
      message: 'An unexpected error stopped the screening.',
      retryable: true,
    });
  }
}

/**
 * What intake read of the archive; read again from the kept upload if it is missing (and stored, so a retry does not
 * read it again). An archive that cannot be read fails the screening for good, with the reason.
 */
async function loadTakeHome(
  services: Services,
  job: ScreeningJob,
  submission: Submission,
): Promise<{ ok: true; stored: StoredTakeHome } | { ok: false; reason: StatusReason }> {
  if (submission.textKey) {
    const blob = await services.blobs.get(submission.textKey);
    if (blob) return { ok: true, stored: decodeTakeHome(blob.bytes) };
  }
  const upload = await services.blobs.get(submission.blobKey);
  if (!upload) {
    return {
      ok: false,
      reason: { code: 'upload_missing', message: 'The uploaded archive is missing.', retryable: false },
    };
  }
  let stored: StoredTakeHome;
  try {
    stored = readTakeHome(upload.bytes);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ok: false, reason: { code: error.code, message: error.message, retryable: false } };
  }
  const textKey = submission.textKey ?? blobKeys.text(job.orgId, submission.id);
  await services.blobs.put(textKey, encodeTakeHome(stored), 'application/json');
  await services.screenings.setSubmissionText(job.orgId, job.screeningId, submission.id, {
    textKey,
    charCount: stored.files.reduce((n, f) => n + f.content.length, 0),
    pageCount: null,
  });
  return { ok: true, stored };
}
