import type { Services } from '../core/services';
import { DraftError } from '../drafting/drafter';
import type { ScreeningJob } from '../queue/job-queue';
import { StaleScreeningError } from '../store/screening-store';
import { takeHomeKind } from '../takehome/take-home-kind';
import { draftAssessment } from './draft-assessment';
import { controlJob, DeadlineError, LeaseLostError } from './job-control';
import type { DraftSource } from './obtain-drafts';
import { resumeKind } from './resume-kind';
import type { ScreeningKind, StatusReason } from './screening';
import type { ScreeningKindHandler, ScreeningMaterial } from './screening-kind';

/** How each kind of material is loaded and what judges it; everything else below is the same for all of them. */
const kinds: Record<ScreeningKind, ScreeningKindHandler> = {
  resume: resumeKind,
  'take-home': takeHomeKind,
};

/**
 * The worker's job, for every kind of screening: claim it, load its material (the kind's part: screening-kind.ts),
 * draft and ground it (draft-assessment.ts: material preparation, drafts, grounding, samples, plan), store it.
 *
 * Idempotent under at-least-once delivery: the claim is a conditional write, so a duplicate job finds the screening
 * taken (or finished) and does nothing; a job whose worker died is taken again once its lease runs out. Any failure
 * ends in `failed` with a reason that says whether re-queueing can help; the upload and its text are never touched.
 */
export interface JobOptions {
  /** Epoch ms by which the job must end (on Lambda: its remaining time minus a margin); see job-control.ts. */
  deadline?: number | undefined;
}

export async function processScreeningJob(
  services: Services,
  job: ScreeningJob,
  options: JobOptions = {},
): Promise<void> {
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
      log.warn('screening failed', { kind: claimed.kind, reason: reason.code });
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

  // Renews the lease while this job runs, and stops the draft at the deadline (or when the lease was taken).
  const control = controlJob(services, claimed, log, { deadline: options.deadline });
  try {
    const record = await screenings.get(job.orgId, job.screeningId);
    if (!record) {
      log.warn('screening vanished after its claim');
      return;
    }
    const loaded = await kinds[claimed.kind].load(services, record);
    if (!loaded.ok) {
      await fail(loaded.reason);
      return;
    }
    const { material } = loaded;
    control.signal.throwIfAborted();

    version = (
      await screenings.transition(job.orgId, job.screeningId, {
        from: ['extracting'],
        to: 'drafting',
        expectedVersion: version,
        now: services.now(),
      })
    ).version;

    const drafted = await draftAssessment(draftSourceFor(services, material, control.signal), {
      orgId: job.orgId,
      screeningId: job.screeningId,
      text: material.text,
      hidden: material.hidden,
      candidate: { name: claimed.candidate.name, email: claimed.candidate.email },
      blindScreening: await blindScreeningFor(services, job.orgId),
      ...(material.code ? { code: material.code } : {}),
      // An admin's re-queue asks for a new draft: the draft cache would give back the old one.
      ...(claimed.redraft ? { redraft: claimed.redraft } : {}),
    });
    // The draft is done (or failed on its own): saving it no longer races the heartbeat or the deadline.
    control.stop();
    // A draft that failed because the deadline came or the lease was lost says so, not what the drafter saw
    // (an aborted request); one that finished anyway is saved (a lost lease then fails the save as stale).
    if (!drafted.ok) control.signal.throwIfAborted();
    if (!drafted.ok) {
      await fail(drafted.reason);
      return;
    }
    const { assessment, stats } = drafted;
    await screenings.saveDraft(job.orgId, job.screeningId, assessment, version, services.now());
    log.info('screening drafted', {
      kind: claimed.kind,
      drafter: assessment.provenance.drafter,
      model: assessment.provenance.model,
      tokens: assessment.provenance.usage.totalTokens,
      cacheHit: Boolean(assessment.provenance.cache),
      flags: assessment.flags.length,
      quotes: stats.quotes,
      verified: stats.verified,
      durationMs: assessment.provenance.durationMs,
      ...material.figures,
    });
  } catch (error) {
    const stopped: unknown = control.signal.aborted ? control.signal.reason : null;
    control.stop();
    if (stopped instanceof LeaseLostError) {
      log.warn('lease taken by another worker while this one drafted; stopped and discarded');
      return;
    }
    if (stopped instanceof DeadlineError) {
      await fail({
        code: 'worker_deadline',
        message:
          'The worker ran out of time before the draft was finished: the LLM calls, their retries and rate-limit ' +
          'waits took longer than its timeout allows. Queue it again; if it keeps happening, deploy with fewer ' +
          'LLM_SAMPLES or LLM_MAX_RETRIES.',
        retryable: true,
      });
      return;
    }
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
  } finally {
    control.stop();
  }
}

/** The drafting pipeline's view of the services, judging with the material's rubric and template. */
export function draftSourceFor(
  services: Services,
  judge: Pick<ScreeningMaterial, 'rubric' | 'template'>,
  signal?: AbortSignal,
): DraftSource {
  const { config } = services;
  return {
    drafter: services.drafter,
    rubric: judge.rubric,
    template: judge.template,
    drafting: config.drafting,
    draftCache: services.draftCache ?? null,
    llm: config.llm ? { model: config.llm.model, temperature: config.llm.temperature } : null,
    now: services.now,
    logger: services.logger,
    ...(signal ? { signal } : {}),
  };
}

/** Blind screening is on unless the organisation turned it off; an unknown organisation gets the safe default. */
export async function blindScreeningFor(services: Services, orgId: string): Promise<boolean> {
  const org = await services.auth.getOrg(orgId);
  return org?.settings.blindScreening ?? true;
}
