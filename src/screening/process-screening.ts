import { Assessment, type Flag } from '../assessment/assessment';
import { groundDraft } from '../assessment/grounding';
import { isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { DraftError, type DraftResult } from '../drafting/drafter';
import { costOf } from '../drafting/prices';
import type { ScreeningJob } from '../queue/job-queue';
import { StaleScreeningError } from '../store/screening-store';
import { processTakeHome } from '../takehome/process-take-home';
import { draftAssessment } from './draft-assessment';
import { storeText, toStoredText } from './intake';
import type { DraftSource } from './obtain-drafts';
import { type StatusReason, StoredText, type Submission } from './screening';

/**
 * The worker's job: claim the screening, load its text, draft and ground (draft-assessment.ts: material preparation,
 * drafts, grounding, samples, plan), store it.
 *
 * Idempotent under at-least-once delivery: the claim is a conditional write, so a duplicate job finds the screening
 * taken (or finished) and does nothing; a job whose worker died is taken again once its lease runs out. Any failure
 * ends in `failed` with a reason that says whether re-queueing can help; the upload and its text are never touched.
 */
export async function processScreeningJob(services: Services, job: ScreeningJob): Promise<void> {
  const { screenings, config } = services;
  const log = services.logger.child({ screeningId: job.screeningId, orgId: job.orgId });
  const claimed = await screenings.claim(
    job.orgId,
    job.screeningId,
    services.now(),
    config.worker.leaseSeconds,
  );
  if (!claimed) {
    log.debug('job skipped: screening taken, finished or gone');
    return;
  }
  if (claimed.kind === 'take-home') return processTakeHome(services, job, claimed, log);
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
      log.warn('screening failed', { reason: reason.code });
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
    const resume = record?.submissions.find((s) => s.kind === 'resume');
    if (!resume) {
      await fail({ code: 'text_missing', message: 'The screening has no resume.', retryable: false });
      return;
    }
    const loaded = await loadText(services, job.orgId, job.screeningId, resume);
    if (!loaded.ok) {
      await fail(loaded.reason);
      return;
    }
    const stored = loaded.text;

    version = (
      await screenings.transition(job.orgId, job.screeningId, {
        from: ['extracting'],
        to: 'drafting',
        expectedVersion: version,
        now: services.now(),
      })
    ).version;

    const drafted = await draftAssessment(draftSourceFor(services), {
      orgId: job.orgId,
      screeningId: job.screeningId,
      text: stored.text,
      hidden: stored.hidden,
      candidate: { name: claimed.candidate.name, email: claimed.candidate.email },
      blindScreening: await blindScreeningFor(services, job.orgId),
    });
    if (!drafted.ok) {
      await fail(drafted.reason);
      return;
    }
    const { assessment } = drafted;
    await screenings.saveDraft(job.orgId, job.screeningId, assessment, version, services.now());
    log.info('screening drafted', {
      drafter: assessment.provenance.drafter,
      model: assessment.provenance.model,
      tokens: assessment.provenance.usage.totalTokens,
      cacheHit: Boolean(assessment.provenance.cache),
      flags: assessment.flags.length,
      durationMs: assessment.provenance.durationMs,
    });
  } catch (error) {
    if (error instanceof StaleScreeningError) {
      log.warn('screening moved on while this worker held it; result discarded');
      return;
    }
    if (error instanceof DraftError) {
      await fail({ code: error.code, message: error.message, retryable: error.retryable });
      return;
    }
    log.error('screening job crashed', { error });
    await fail({
      code: 'internal_error',
      message: 'An unexpected error stopped the screening.',
      retryable: true,
    });
  }
}

/**
 * The resume's extracted text: stored at upload when the API could extract, else extracted here from the kept upload
 * (and stored, so a retry does not extract again). A file that cannot be read fails the screening for good, with the
 * extractor's reason; the upload stays where it is.
 */
async function loadText(
  services: Services,
  orgId: string,
  screeningId: string,
  resume: Submission,
): Promise<{ ok: true; text: StoredText } | { ok: false; reason: StatusReason }> {
  if (resume.textKey) {
    const blob = await services.blobs.get(resume.textKey);
    if (!blob) {
      return {
        ok: false,
        reason: {
          code: 'text_missing',
          message: 'The extracted text of the resume is missing.',
          retryable: false,
        },
      };
    }
    return { ok: true, text: StoredText.parse(JSON.parse(new TextDecoder().decode(blob.bytes))) };
  }
  const upload = await services.blobs.get(resume.blobKey);
  if (!upload) {
    return {
      ok: false,
      reason: { code: 'upload_missing', message: 'The uploaded file is missing.', retryable: false },
    };
  }
  if (!services.extract) throw new Error('this worker has no extractor configured');
  let extracted: Awaited<ReturnType<NonNullable<Services['extract']>>>;
  try {
    extracted = await services.extract(upload.bytes);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ok: false, reason: { code: error.code, message: error.message, retryable: false } };
  }
  const textKey = await storeText(services, orgId, resume.id, extracted);
  await services.screenings.setSubmissionText(orgId, screeningId, resume.id, {
    textKey,
    charCount: extracted.charCount,
    pageCount: extracted.pageCount,
  });
  return { ok: true, text: toStoredText(extracted) };
}

/** The drafting pipeline's view of the services. */
export function draftSourceFor(services: Services): DraftSource {
  const { config } = services;
  return {
    drafter: services.drafter,
    rubric: services.rubric,
    template: services.template,
    drafting: config.drafting,
    draftCache: services.draftCache ?? null,
    llm: config.llm ? { model: config.llm.model, temperature: config.llm.temperature } : null,
    now: services.now,
    logger: services.logger,
  };
}

/** Blind screening is on unless the organisation turned it off; an unknown organisation gets the safe default. */
export async function blindScreeningFor(services: Services, orgId: string): Promise<boolean> {
  const org = await services.auth.getOrg(orgId);
  return org?.settings.blindScreening ?? true;
}

/**
 * A single draft result grounded against plain text, without material preparation: kept for callers that already
 * hold a draft (the take-home pipeline may reuse it). Screenings go through `draftAssessment`.
 */
export function buildAssessment(
  services: Services,
  result: DraftResult,
  text: string,
  durationMs: number,
): Assessment {
  const { rubric, template } = services;
  const grounded = groundDraft(result.draft, text, rubric);
  const flags: Flag[] = [...grounded.flags];
  if (result.drafter === 'offline') {
    flags.unshift({
      code: 'offline_drafter',
      severity: 'info',
      message: 'Drafted by the offline rules drafter (no LLM): rubric signals matched in the text.',
      competencyId: null,
      span: null,
    });
  }
  return Assessment.parse({
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
      costUsd:
        result.drafter === 'offline'
          ? 0
          : costOf(services.config.drafting.prices, result.model, result.usage),
      durationMs,
      createdAt: services.now().toISOString(),
    },
  });
}
