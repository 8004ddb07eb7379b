import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../store/table';
import {
  type ApplicationKey,
  type Claim,
  type DeliveryKey,
  type DeliveryOutcome,
  type DeliveryReason,
  WebhookApplication,
  WebhookDelivery,
} from './delivery-records';

export * from './delivery-records';

const strip = (item: Record<string, unknown>) => {
  const { PK: _pk, SK: _sk, type: _t, ...rest } = item;
  return rest;
};

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * Webhook idempotency in the single table, all by conditional writes:
 *
 * - a delivery item per vendor delivery id: the first copy claims it (`processing`, with a lease), every other copy
 *   reads its outcome; a copy whose processing failed transiently leaves it `retryable`, so the vendor's retry takes
 *   it over, as does any copy once a lease has run out (a process that died mid-delivery);
 * - an application item per ATS application: it fixes, at its first claim, the one screening id this application
 *   will ever have. Intake creates the screening under that id with a conditional put, so whatever happens to
 *   leases and retries, one application can never produce two screenings;
 * - a token item per Lever delivery token, bound to the delivery it came with (replay guard).
 *
 * Every item carries `expiresAt` (the table's TTL attribute), longer than any vendor's retry schedule.
 */
export class DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getDelivery(key: DeliveryKey): Promise<WebhookDelivery | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.webhookDelivery(key.orgId, key.vendor, key.deliveryId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? WebhookDelivery.parse(strip(out.Item)) : null;
  }

  /** Claims a delivery for processing: new, `retryable`, or `processing` with an expired lease. */
  async claimDelivery(
    key: DeliveryKey,
    at: { event: string; applicationId: string | null; now: Date; leaseMs: number; expiresAt: number },
  ): Promise<Claim<WebhookDelivery>> {
    const nowMs = at.now.getTime();
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(key.orgId, key.vendor, key.deliveryId),
          UpdateExpression:
            'SET #type = :type, orgId = :org, vendor = :vendor, deliveryId = :id, event = :event, ' +
            'applicationId = :app, #status = :processing, outcome = :null, reason = :null, screeningId = :null, ' +
            'httpStatus = :null, attempts = if_not_exists(attempts, :zero) + :one, leaseUntil = :lease, ' +
            'receivedAt = if_not_exists(receivedAt, :nowIso), updatedAt = :nowIso, expiresAt = :expires',
          ConditionExpression:
            'attribute_not_exists(PK) OR #status = :retryable OR (#status = :processing AND leaseUntil < :nowMs)',
          ExpressionAttributeNames: { '#status': 'status', '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'webhook-delivery',
            ':org': key.orgId,
            ':vendor': key.vendor,
            ':id': key.deliveryId,
            ':event': at.event,
            ':app': at.applicationId,
            ':processing': 'processing',
            ':retryable': 'retryable',
            ':null': null,
            ':zero': 0,
            ':one': 1,
            ':lease': nowMs + at.leaseMs,
            ':nowMs': nowMs,
            ':nowIso': at.now.toISOString(),
            ':expires': at.expiresAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, item: WebhookDelivery.parse(strip(out.Attributes ?? {})) };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return { claimed: false, item: await this.getDelivery(key) };
    }
  }

  /** Records the final outcome. Only the holder of this attempt may: a holder whose lease was taken is ignored. */
  async settleDelivery(
    key: DeliveryKey,
    attempt: number,
    result: {
      status: 'done' | 'retryable';
      outcome: DeliveryOutcome | null;
      reason: DeliveryReason | null;
      screeningId: string | null;
      httpStatus: number;
      now: Date;
    },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookDelivery(key.orgId, key.vendor, key.deliveryId),
          UpdateExpression:
            'SET #status = :status, outcome = :outcome, reason = :reason, screeningId = :scr, ' +
            'httpStatus = :http, leaseUntil = :null, updatedAt = :now',
          ConditionExpression: 'attempts = :attempt AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': result.status,
            ':outcome': result.outcome,
            ':reason': result.reason,
            ':scr': result.screeningId,
            ':http': result.httpStatus,
            ':null': null,
            ':now': result.now.toISOString(),
            ':attempt': attempt,
            ':processing': 'processing',
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** A delivery we authenticated but could not parse: recorded once, answered 400 every time. */
  async recordMalformed(
    key: DeliveryKey,
    at: { event: string; reason: DeliveryReason; now: Date; expiresAt: number },
  ): Promise<void> {
    const item: WebhookDelivery = {
      ...key,
      event: at.event,
      applicationId: null,
      status: 'done',
      outcome: 'malformed',
      reason: at.reason,
      screeningId: null,
      httpStatus: 400,
      attempts: 1,
      leaseUntil: null,
      receivedAt: at.now.toISOString(),
      updatedAt: at.now.toISOString(),
      expiresAt: at.expiresAt,
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.webhookDelivery(key.orgId, key.vendor, key.deliveryId),
            type: 'webhook-delivery',
            ...item,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  async getApplication(key: ApplicationKey): Promise<WebhookApplication | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.webhookApplication(key.orgId, key.vendor, key.applicationId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? WebhookApplication.parse(strip(out.Item)) : null;
  }

  /**
   * Claims the application for `holder` (a delivery id): new, released, its lease run out, or already this holder's.
   * `plannedScreeningId` is used only on the very first claim. With `mustExist`, only an application seen before is
   * claimed (an update event for an application that never reached us is not a new application).
   */
  async claimApplication(
    key: ApplicationKey,
    at: {
      holder: string;
      plannedScreeningId: string;
      mustExist: boolean;
      now: Date;
      leaseMs: number;
      expiresAt: number;
    },
  ): Promise<Claim<WebhookApplication>> {
    const nowMs = at.now.getTime();
    const claimable =
      '(#status = :released OR leaseUntil < :nowMs OR holder = :holder) AND #status <> :screened';
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookApplication(key.orgId, key.vendor, key.applicationId),
          UpdateExpression:
            'SET #type = :type, orgId = :org, vendor = :vendor, applicationId = :app, #status = :processing, ' +
            'holder = :holder, leaseUntil = :lease, screeningId = if_not_exists(screeningId, :planned), ' +
            'attempts = if_not_exists(attempts, :zero) + :one, updatedAt = :nowIso, expiresAt = :expires',
          ConditionExpression: at.mustExist
            ? `attribute_exists(PK) AND ${claimable}`
            : `attribute_not_exists(PK) OR (${claimable})`,
          ExpressionAttributeNames: { '#status': 'status', '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'webhook-application',
            ':org': key.orgId,
            ':vendor': key.vendor,
            ':app': key.applicationId,
            ':processing': 'processing',
            ':released': 'released',
            ':screened': 'screened',
            ':holder': at.holder,
            ':lease': nowMs + at.leaseMs,
            ':planned': at.plannedScreeningId,
            ':zero': 0,
            ':one': 1,
            ':nowMs': nowMs,
            ':nowIso': at.now.toISOString(),
            ':expires': at.expiresAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, item: WebhookApplication.parse(strip(out.Attributes ?? {})) };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return { claimed: false, item: await this.getApplication(key) };
    }
  }

  /** The application has its screening (idempotent: the id never changes). */
  async markApplicationScreened(key: ApplicationKey, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.webhookApplication(key.orgId, key.vendor, key.applicationId),
        UpdateExpression: 'SET #status = :screened, holder = :null, leaseUntil = :null, updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':screened': 'screened', ':null': null, ':now': now.toISOString() },
      }),
    );
  }

  /** Gives the application back (no screening was made): a later delivery for it may try again. */
  async releaseApplication(key: ApplicationKey, holder: string, now: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhookApplication(key.orgId, key.vendor, key.applicationId),
          UpdateExpression: 'SET #status = :released, holder = :null, leaseUntil = :null, updatedAt = :now',
          ConditionExpression: 'holder = :holder AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':released': 'released',
            ':processing': 'processing',
            ':holder': holder,
            ':null': null,
            ':now': now.toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
    }
  }

  /**
   * Binds a one-time delivery token to its delivery. `false` when the token was already used by another delivery:
   * a replay with a swapped body.
   */
  async claimToken(
    orgId: string,
    vendor: string,
    token: string,
    deliveryId: string,
    expiresAt: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.webhookToken(orgId, vendor, token), type: 'webhook-token', deliveryId, expiresAt },
          ConditionExpression: 'attribute_not_exists(PK) OR deliveryId = :d',
          ExpressionAttributeValues: { ':d': deliveryId },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}
