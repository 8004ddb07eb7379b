import type { Services } from '../core/services';
import { DraftError } from '../drafting/drafter';
import type { ScreeningJob } from '../queue/job-queue';
import { StaleScreeningError } from '../store/screening-store';
import { takeHomeKind } from '../takehome/take-home-kind';
import { draftAssessment } from './draft-assessment';
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

    version = (
      await screenings.transition(job.orgId, job.screeningId, {
        from: ['extracting'],
        to: 'drafting',
        expectedVersion: version,
        now: services.now(),
      })
    ).version;

    const drafted = await draftAssessment(draftSourceFor(services, material), {
      orgId: job.orgId,
      screeningId: job.screeningId,
      text: material.text,
      hidden: material.hidden,
      candidate: { name: claimed.candidate.name, email: claimed.candidate.email },
      blindScreening: await blindScreeningFor(services, job.orgId),
      ...(material.code ? { code: material.code } : {}),
    });
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

/** The drafting pipeline's view of the services, judging with the material's rubric and template. */
export function draftSourceFor(
  services: Services,
  judge: Pick<ScreeningMaterial, 'rubric' | 'template'>,
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
  };
}

/** Blind screening is on unless the organisation turned it off; an unknown organisation gets the safe default. */
export async function blindScreeningFor(services: Services, orgId: string): Promise<boolean> {
  const org = await services.auth.getOrg(orgId);
  return org?.settings.blindScreening ?? true;
}
