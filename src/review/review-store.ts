import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { Assessment } from '../assessment/assessment';
import type { Principal } from '../auth/auth-store';
import { newId } from '../core/ids';
import { Screening, type ScreeningStatus, Submission } from '../screening/screening';
import { decodeCursor, encodeCursor, queryPages } from '../store/paging';
import { type Page, type ScreeningStore, StaleScreeningError } from '../store/screening-store';
import { indexNames, keys } from '../store/table';
import { type AuditAction, AuditEvent } from './audit-event';
import { separateStaleFinal, setAsideFinal } from './past-finals';
import { HumanFinal, type ReviewOutcome } from './review';

/** A screening with everything its review page shows: submissions, the AI draft, the human final, the audit trail. */
export interface ReviewRecord {
  screening: Screening;
  submissions: Submission[];
  draft: Assessment | null;
  /** The reviewer's version of the current draft; `null` until someone reviews it (and again after a re-draft). */
  final: HumanFinal | null;
  /** Finals of earlier drafts, set aside when the screening was re-drafted (oldest first): history, not the review. */
  pastFinals: HumanFinal[];
  /** Oldest first. */
  events: AuditEvent[];
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

const withoutKeys = (item: Record<string, unknown>): Record<string, unknown> => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, type: _t, ...rest } = item;
  return rest;
};

export const actorOf = (principal: Principal): AuditEvent['actor'] => ({
  userId: principal.userId,
  role: principal.role,
  via: principal.via ?? 'token',
});

export function newEvent(
  principal: Principal,
  action: AuditAction,
  target: AuditEvent['target'],
  change: { before: Record<string, unknown> | null; after: Record<string, unknown> | null },
  now: Date,
): AuditEvent {
  return {
    id: newId('evt'),
    orgId: principal.orgId,
    at: now.toISOString(),
    actor: actorOf(principal),
    action,
    target,
    ...change,
  };
}

/**
 * Reviews and the audit trail in the single table (keys in `src/store/table.ts`). A decision is one transaction: the
 * screening's conditional status/version update, the final, and the audit event; so there is never a decision without
 * its event, and two reviewers working from the same version cannot both win.
 */
export class ReviewStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly screenings: ScreeningStore,
  ) {}

  /** One Query on the screening's partition. `null` when there is no such screening in this organisation. */
  async load(orgId: string, screeningId: string): Promise<ReviewRecord | null> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.screening(orgId, screeningId).PK },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    let screening: Screening | null = null;
    const record: Omit<ReviewRecord, 'screening'> = {
      submissions: [],
      draft: null,
      final: null,
      pastFinals: [],
      events: [],
    };
    for (const item of items) {
      const sk = String(item.SK);
      if (sk === 'META') screening = Screening.parse(withoutKeys(item));
      else if (sk.startsWith('SUB#')) record.submissions.push(Submission.parse(withoutKeys(item)));
      else if (sk === 'DRAFT') record.draft = Assessment.parse(item.assessment);
      else if (sk === 'FINAL') record.final = HumanFinal.parse(item.final);
      else if (sk.startsWith('FINAL#')) record.pastFinals.push(HumanFinal.parse(item.final));
      else if (sk.startsWith('EVT#')) record.events.push(AuditEvent.parse(withoutKeys(item)));
    }
    return screening ? { screening, ...separateStaleFinal(record) } : null;
  }

  /**
   * Writes a review outcome: the final, the status change and the audit event, conditional on the version the
   * reviewer saw. Throws `StaleScreeningError` when someone else changed the screening since.
   */
  async saveReview(
    principal: Principal,
    screeningId: string,
    outcome: ReviewOutcome,
    expectedVersion: number,
    now: Date,
  ): Promise<AuditEvent> {
    const { orgId } = principal;
    const action: AuditAction =
      outcome.to === 'approved'
        ? 'review.approved'
        : outcome.to === 'rejected'
          ? 'review.rejected'
          : outcome.to === 'changes_requested' && outcome.from !== 'changes_requested'
            ? 'review.changes_requested'
            : 'review.saved';
    const event = newEvent(
      principal,
      action,
      { type: 'screening', id: screeningId },
      { before: outcome.before, after: outcome.after },
      now,
    );
    const update = this.screenings.transitionUpdate(orgId, screeningId, {
      from: [outcome.from],
      to: outcome.to,
      expectedVersion,
      now,
    });
    await this.transact(screeningId, [
      { Update: update },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.final(orgId, screeningId), type: 'final', final: outcome.final },
        },
      },
      { Put: this.eventPut(event) },
    ]);
    return event;
  }

  /**
   * Queues a failed screening (or one with changes requested) again, with its audit event, in one transaction. The
   * current final, made against the draft about to be replaced, is set aside (`pastFinals`), not left to be shown
   * or prefilled against the new draft, and the event records what it was.
   */
  async requeue(
    principal: Principal,
    screening: Screening,
    final: HumanFinal | null,
    now: Date,
  ): Promise<AuditEvent> {
    const from: ScreeningStatus = screening.status;
    const event = newEvent(
      principal,
      'screening.requeued',
      { type: 'screening', id: screening.id },
      {
        before: {
          status: from,
          version: screening.version,
          statusReason: screening.statusReason,
          ...(final
            ? { final: { decision: final.decision, notes: final.notes, reviewedAt: final.reviewedAt } }
            : {}),
        },
        after: { status: 'queued', version: screening.version + 1 },
      },
      now,
    );
    const update = this.screenings.transitionUpdate(principal.orgId, screening.id, {
      from: [from],
      to: 'queued',
      expectedVersion: screening.version,
      now,
      reason: null,
      // The next draft is made anew, past the draft cache (which would give back the same draft).
      set: {
        attempts: 0,
        leaseExpiresAt: null,
        redraft: { requestedBy: principal.userId, requestedAt: now.toISOString() },
      },
    });
    const setAside = final ? setAsideFinal(this.tableName, principal.orgId, screening, final) : [];
    await this.transact(screening.id, [{ Update: update }, ...setAside, { Put: this.eventPut(event) }]);
    return event;
  }

  /** An event about something other than a screening (a user, a token). */
  async appendOrgEvent(event: AuditEvent): Promise<void> {
    await this.db.send(new PutCommand(this.eventPut(event)));
  }

  /** The Put of an event, for a transaction of another store that must not happen without it (org settings). */
  orgEventPut(event: AuditEvent) {
    return this.eventPut(event);
  }

  /** The organisation's audit trail, newest first. */
  async listOrgEvents(
    orgId: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<AuditEvent>> {
    const partition = keys.auditPartition(orgId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexNames.gsi1,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor, partition) : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => AuditEvent.parse(withoutKeys(item))),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  /** The organisation's events since a time, oldest first (for the velocity dashboard; bounded by `max`). */
  async listOrgEventsSince(orgId: string, since: Date, max: number): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    for await (const page of queryPages(this.db, {
      TableName: this.tableName,
      IndexName: indexNames.gsi1,
      KeyConditionExpression: 'GSI1PK = :p AND GSI1SK >= :since',
      ExpressionAttributeValues: { ':p': keys.auditPartition(orgId), ':since': since.toISOString() },
    })) {
      events.push(...page.items.map((item) => AuditEvent.parse(withoutKeys(item))));
      if (events.length >= max) break;
    }
    return events.slice(0, max);
  }

  /** How many screenings of the organisation are in each status: a COUNT query per status partition of the index. */
  async countByStatus(orgId: string, statuses: readonly ScreeningStatus[]): Promise<Record<string, number>> {
    const counts = await Promise.all(
      statuses.map(async (status) => {
        let count = 0;
        for await (const page of queryPages(this.db, {
          TableName: this.tableName,
          IndexName: indexNames.gsi1,
          KeyConditionExpression: 'GSI1PK = :p',
          ExpressionAttributeValues: { ':p': keys.statusPartition(orgId, status) },
          Select: 'COUNT',
        })) {
          count += page.count;
        }
        return [status, count] as const;
      }),
    );
    return Object.fromEntries(counts);
  }

  private eventPut(event: AuditEvent) {
    const key =
      event.target.type === 'screening'
        ? keys.screeningEvent(event.orgId, event.target.id, event.id)
        : keys.orgEvent(event.orgId, event.id);
    return {
      TableName: this.tableName,
      Item: { ...key, ...keys.auditIndex(event.orgId, event.at, event.id), type: 'event', ...event },
      // Append-only: an event is never overwritten.
      ConditionExpression: 'attribute_not_exists(PK)',
    };
  }

  private async transact(
    screeningId: string,
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error))
        throw new StaleScreeningError(`screening ${screeningId} changed meanwhile`, { cause: error });
      throw error;
    }
  }
}
