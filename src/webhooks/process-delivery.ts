import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { AppError, isAppError } from '../core/app-error';
import { newId } from '../core/ids';
import type { Services } from '../core/services';
import type { Integration } from '../integrations/integration';
import type { GuardedHttp } from '../net/guarded-http';
import { submitResume } from '../screening/intake';
import type { Screening } from '../screening/screening';
import type { ApplicationKey, DeliveryKey, DeliveryReason, WebhookDelivery } from './delivery-store';
import { integrationActor } from './integration-user';
import { type ParsedDelivery, ResumeFetchError, type VendorModule, withFetchedCandidate } from './vendor';

/**
 * One authenticated, parsed delivery through dedupe and intake. The status we answer follows the vendors' retry
 * rules (checked for each: Greenhouse retries anything but 200; Lever any non-2xx; Ashby any non-2xx except
 * 401/403/404/405/410): everything we have dealt with, including a permanent problem with the candidate's file that
 * no retry can fix, is acknowledged with 200 and recorded on the delivery item; only trouble a retry can cure
 * (timeouts, the vendor's 5xx, our own storage) answers 503, so the vendor tries again and takes the delivery over.
 * A configuration problem of ours that only an admin can fix (the integration user deactivated) is refused with 403.
 */
export interface DeliveryContext {
  services: Services;
  module: VendorModule;
  integration: Integration;
  http: GuardedHttp;
}

export interface WebhookResult {
  status: 200;
  body: {
    received: true;
    outcome: 'screened' | 'duplicate' | 'ignored' | 'rejected' | 'ping';
    deliveryId: string | null;
    screeningId?: string | null;
    reason?: DeliveryReason;
  };
}

type Outcome =
  | { kind: 'screened' | 'duplicate'; screeningId: string }
  | { kind: 'rejected'; reason: DeliveryReason; screeningId: string | null }
  | { kind: 'ignored'; reason: DeliveryReason | null }
  | { kind: 'retry'; reason: DeliveryReason }
  | { kind: 'refused'; reason: DeliveryReason };

type Work = Extract<ParsedDelivery, { kind: 'ignored' | 'application' }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryLater = (reason: DeliveryReason, cause?: unknown) =>
  new AppError('unavailable', reason.code, `${reason.message} Retry later.`, { cause });

export async function processDelivery(context: DeliveryContext, delivery: Work): Promise<WebhookResult> {
  const { services, integration } = context;
  const { config, webhookDeliveries: store } = services;
  const key: DeliveryKey = {
    orgId: integration.orgId,
    vendor: integration.vendor,
    deliveryId: delivery.deliveryId,
  };
  const claim = await store.claimDelivery(key, {
    event: delivery.event,
    applicationId: delivery.kind === 'application' ? delivery.applicationId : null,
    now: services.now(),
    leaseMs: config.webhooks.leaseSeconds * 1000,
    expiresAt: expiresAt(services, config.webhooks.dedupeDays),
  });
  if (!claim.claimed) return answerFromRecord(context, key, claim.item);

  const attempt = claim.item.attempts;
  const log = services.logger.child({ vendor: key.vendor, orgId: key.orgId, deliveryId: key.deliveryId });
  let outcome: Outcome;
  try {
    outcome =
      delivery.kind === 'ignored' ? { kind: 'ignored', reason: null } : await screen(context, delivery);
  } catch (error) {
    log.error('webhook delivery failed; the vendor will retry', { error });
    const reason = { code: 'processing_failed', message: 'Vetline could not process the delivery.' };
    await store
      .settleDelivery(key, attempt, {
        status: 'retryable',
        outcome: null,
        reason,
        screeningId: null,
        httpStatus: 503,
        now: services.now(),
      })
      .catch(() => undefined);
    throw retryLater(reason, error);
  }

  if (outcome.kind === 'retry' || outcome.kind === 'refused') {
    // Both stay `retryable`, so the vendor's retry takes the delivery over: after a transient fault (503), or after
    // an admin fixed the integration user (403, which Ashby takes as final and Greenhouse and Lever retry anyway).
    const refused = outcome.kind === 'refused';
    await store.settleDelivery(key, attempt, {
      status: 'retryable',
      outcome: null,
      reason: outcome.reason,
      screeningId: null,
      httpStatus: refused ? 403 : 503,
      now: services.now(),
    });
    log.warn(refused ? 'webhook delivery refused' : 'webhook delivery will be retried', {
      code: outcome.reason.code,
    });
    throw refused
      ? new AppError('forbidden', outcome.reason.code, outcome.reason.message)
      : retryLater(outcome.reason);
  }
  const screeningId = 'screeningId' in outcome ? outcome.screeningId : null;
  const reason = 'reason' in outcome ? outcome.reason : null;
  await store.settleDelivery(key, attempt, {
    status: 'done',
    outcome: outcome.kind,
    reason,
    screeningId,
    httpStatus: 200,
    now: services.now(),
  });
  log.info('webhook delivery processed', { outcome: outcome.kind, screeningId, code: reason?.code });
  return acknowledge(key.deliveryId, outcome.kind, screeningId, reason);
}

const acknowledge = (
  deliveryId: string,
  outcome: WebhookResult['body']['outcome'],
  screeningId: string | null,
  reason: DeliveryReason | null,
): WebhookResult => ({
  status: 200,
  body: {
    received: true,
    outcome,
    deliveryId,
    ...(screeningId ? { screeningId } : {}),
    ...(reason ? { reason } : {}),
  },
});

/** Another copy of this delivery holds it: wait for its outcome (bounded), and answer the same. */
async function answerFromRecord(
  context: DeliveryContext,
  key: DeliveryKey,
  seen: WebhookDelivery | null,
): Promise<WebhookResult> {
  const { services } = context;
  const deadline = Date.now() + services.config.webhooks.waitMs;
  let pause = 20;
  let record = seen;
  for (;;) {
    if (record?.status === 'done') {
      if (record.outcome === 'malformed') {
        throw new AppError(
          'bad_request',
          'malformed_payload',
          record.reason?.message ?? 'Malformed payload.',
        );
      }
      const outcome = record.outcome === 'screened' ? 'duplicate' : (record.outcome ?? 'ignored');
      return acknowledge(key.deliveryId, outcome, record.screeningId, record.reason);
    }
    const stillHeld = record?.status === 'processing' && (record.leaseUntil ?? 0) > services.now().getTime();
    if (!stillHeld || Date.now() + pause > deadline) {
      throw retryLater({
        code: 'delivery_in_progress',
        message: 'Another copy of this delivery is being processed or failed transiently.',
      });
    }
    await sleep(pause);
    pause = Math.min(250, Math.round(pause * 1.5));
    record = await services.webhookDeliveries.getDelivery(key);
  }
}

async function screen(
  context: DeliveryContext,
  delivery: Extract<Work, { kind: 'application' }>,
): Promise<Outcome> {
  const { services, integration, module, http } = context;
  const store = services.webhookDeliveries;
  const actor = await integrationActor(services, integration);
  if (!actor.ok) return { kind: 'refused', reason: actor.reason };
  const appKey: ApplicationKey = {
    orgId: integration.orgId,
    vendor: integration.vendor,
    applicationId: delivery.applicationId,
  };
  const claimApplication = () =>
    store.claimApplication(appKey, {
      holder: delivery.deliveryId,
      plannedScreeningId: newId('scr'),
      mustExist: delivery.onlyIfSeen,
      now: services.now(),
      leaseMs: services.config.webhooks.leaseSeconds * 1000,
      expiresAt: expiresAt(services, applicationRecordDays),
    });

  // Another delivery of the same application (the vendor resending it under a new id) may hold it: wait for it.
  const deadline = Date.now() + services.config.webhooks.waitMs;
  let claim = await claimApplication();
  let pause = 20;
  while (!claim.claimed) {
    const current = claim.item;
    if (!current) {
      return {
        kind: 'ignored',
        reason: {
          code: 'application_not_seen',
          message: 'An update to an application Vetline never received.',
        },
      };
    }
    if (current.status === 'screened') return { kind: 'duplicate', screeningId: current.screeningId };
    if (Date.now() + pause > deadline) {
      return {
        kind: 'retry',
        reason: {
          code: 'application_in_progress',
          message: 'Another delivery of this application is being processed.',
        },
      };
    }
    await sleep(pause);
    pause = Math.min(250, Math.round(pause * 1.5));
    const seen = await store.getApplication(appKey);
    const claimable =
      seen &&
      seen.status !== 'screened' &&
      (seen.status === 'released' || (seen.leaseUntil ?? 0) < services.now().getTime());
    claim = claimable ? await claimApplication() : { claimed: false, item: seen };
  }

  const plannedId = claim.item.screeningId;
  if (claim.item.attempts > 1) {
    // Taken over: an earlier attempt may have created the screening before it could record so.
    const existing = await services.screenings.getScreening(appKey.orgId, plannedId);
    if (existing) return adoptExisting(context, appKey, existing);
  }

  const release = () => store.releaseApplication(appKey, delivery.deliveryId, services.now());
  let resume: Awaited<ReturnType<VendorModule['fetchResume']>>;
  try {
    resume = await module.fetchResume(delivery.resume, {
      integration,
      http,
      maxBytes: services.config.maxUploadBytes,
    });
  } catch (error) {
    await release();
    if (!(error instanceof ResumeFetchError)) throw error;
    const reason = { code: error.code, message: error.message };
    return error.transient ? { kind: 'retry', reason } : { kind: 'rejected', reason, screeningId: null };
  }

  let screening: Screening;
  try {
    screening = await submitResume(services, actor.principal, {
      bytes: resume.bytes,
      filename: resume.filename,
      candidate: withFetchedCandidate(delivery.candidate, resume),
      source: 'webhook',
      screeningId: plannedId,
    });
  } catch (error) {
    if (isAppError(error) && error.status < 500) {
      // Intake keeps a file it cannot read, as a failed screening the reviewers see; other refusals keep nothing.
      const reason = { code: error.code, message: error.message };
      const kept = typeof error.details?.screeningId === 'string' ? error.details.screeningId : null;
      if (kept) await store.markApplicationScreened(appKey, services.now());
      else await release();
      return { kind: 'rejected', reason, screeningId: kept };
    }
    const existing = isCreateConflict(error)
      ? await services.screenings.getScreening(appKey.orgId, plannedId)
      : null;
    if (existing) return adoptExisting(context, appKey, existing);
    await release();
    throw error;
  }
  await store.markApplicationScreened(appKey, services.now());
  return { kind: 'screened', screeningId: screening.id };
}

/** The application's screening already exists (made by an attempt that died before recording it). */
async function adoptExisting(
  context: DeliveryContext,
  appKey: ApplicationKey,
  existing: Screening,
): Promise<Outcome> {
  const { services } = context;
  await services.webhookDeliveries.markApplicationScreened(appKey, services.now());
  // That attempt may have died between creating and queueing: a second job for it is harmless (the claim is conditional).
  if (existing.status === 'queued')
    await services.queue.enqueue({ orgId: existing.orgId, screeningId: existing.id });
  if (existing.status === 'failed' && existing.attempts === 0 && existing.statusReason) {
    const { code, message } = existing.statusReason;
    return { kind: 'rejected', reason: { code, message }, screeningId: existing.id };
  }
  return { kind: 'screened', screeningId: existing.id };
}

const isCreateConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');

/** Application records outlive delivery records: a vendor resending an application months later is still a duplicate. */
const applicationRecordDays = 400;

const expiresAt = (services: Services, days: number) =>
  Math.floor(services.now().getTime() / 1000) + days * 86_400;
