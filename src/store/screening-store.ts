import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Assessment } from '../assessment/assessment';
import {
  Screening,
  type ScreeningStatus,
  type StatusReason,
  Submission,
  workingStatuses,
} from '../screening/screening';
import { decodeCursor, encodeCursor, queryAll } from './paging';
import {
  leaseFreeCondition,
  listInStatus,
  markSwept,
  renewLease,
  type SweepCandidate,
} from './screening-leases';
import { indexNames, keys } from './table';

export interface ScreeningRecord {
  screening: Screening;
  submissions: Submission[];
  /** The AI draft, once there is one. */
  draft: Assessment | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. `null` on the last page. */
  nextCursor: string | null;
}

const CandidateScreeningItem = z.object({
  screeningId: z.string(),
  kind: Screening.shape.kind,
  receivedAt: z.string(),
});

/** A conditional write lost: the screening was not in the expected status or version. */
export class StaleScreeningError extends Error {
  override readonly name = 'StaleScreeningError';
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

const strip = <T extends Record<string, unknown>>(
  item: T,
): Omit<T, 'PK' | 'SK' | 'GSI1PK' | 'GSI1SK' | 'type'> => {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, type: _t, ...rest } = item;
  return rest;
};

/**
 * Screenings, their submissions and drafts in the single table (see `table.ts` for the keys and access patterns).
 * Every method takes the organisation id first and builds keys from it: tenant isolation is structural.
 */
export class ScreeningStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(screening: Screening, submissions: Submission[]): Promise<void> {
    const { orgId, id } = screening;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.screening(orgId, id),
                ...keys.statusIndex(orgId, screening.status, screening.receivedAt, id),
                type: 'screening',
                ...screening,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          ...submissions.map((s) => ({
            Put: {
              TableName: this.tableName,
              Item: { ...keys.submission(orgId, id, s.id), type: 'submission', ...s },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          })),
          // The candidate's index of screenings: how a take-home finds the candidate it belongs to.
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.candidateScreening(orgId, screening.candidateId, id),
                type: 'candidate-screening',
                screeningId: id,
                kind: screening.kind,
                receivedAt: screening.receivedAt,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  }

  /** One Query on the screening's partition returns the screening, its submissions and its draft. */
  async get(orgId: string, screeningId: string): Promise<ScreeningRecord | null> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.screening(orgId, screeningId).PK },
      }),
    );
    let screening: Screening | null = null;
    const submissions: Submission[] = [];
    let draft: Assessment | null = null;
    for (const item of out.Items ?? []) {
      if (item.SK === 'META') screening = Screening.parse(strip(item));
      else if (typeof item.SK === 'string' && item.SK.startsWith('SUB#'))
        submissions.push(Submission.parse(strip(item)));
      else if (item.SK === 'DRAFT') draft = Assessment.parse(item.assessment);
    }
    return screening ? { screening, submissions, draft } : null;
  }

  async getScreening(orgId: string, screeningId: string): Promise<Screening | null> {
    return (await this.get(orgId, screeningId))?.screening ?? null;
  }

  /** The review queue: one organisation's screenings in one status, oldest first, from the sparse status index. */
  async listByStatus(
    orgId: string,
    status: ScreeningStatus,
    options: { limit: number; cursor?: string | undefined; flag?: string | undefined },
  ): Promise<Page<Screening>> {
    const partition = keys.statusPartition(orgId, status);
    if (options.flag !== undefined) return this.listByStatusAndFlag(partition, options.flag, options);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexNames.gsi1,
        KeyConditionExpression: 'GSI1PK = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: true,
        Limit: options.limit,
        ExclusiveStartKey: options.cursor ? decodeCursor(options.cursor, partition) : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => Screening.parse(strip(item))),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  /**
   * The queue filtered by a flag code (stored on the screening as `flagCodes` when its draft is saved). DynamoDB
   * filters after it reads, so this reads on (a bounded number of times) until the page is full or the index ends;
   * the cursor is the last item returned, so nothing is skipped between pages.
   */
  private async listByStatusAndFlag(
    partition: string,
    flag: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Screening>> {
    const items: Array<Record<string, unknown>> = [];
    let start = options.cursor ? decodeCursor(options.cursor, partition) : undefined;
    for (let reads = 0; reads < 10 && items.length < options.limit; reads++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexNames.gsi1,
          KeyConditionExpression: 'GSI1PK = :p',
          FilterExpression: 'contains(flagCodes, :flag)',
          ExpressionAttributeValues: { ':p': partition, ':flag': flag },
          ScanIndexForward: true,
          Limit: Math.max(options.limit * 4, 50),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        if (items.length < options.limit) items.push(item);
        else break;
      }
      start = out.LastEvaluatedKey;
      if (!start) break;
    }
    const last = items.at(-1);
    const more = items.length === options.limit || start !== undefined;
    return {
      items: items.map((item) => Screening.parse(strip(item))),
      nextCursor:
        more && last
          ? encodeCursor({ PK: last.PK, SK: last.SK, GSI1PK: last.GSI1PK, GSI1SK: last.GSI1SK })
          : more && start
            ? encodeCursor(start)
            : null,
    };
  }

  /** Every screening of an organisation in a working status, with when the sweep last re-sent it (see `sweep.ts`). */
  async listWorking(orgId: string): Promise<SweepCandidate[]> {
    const all: SweepCandidate[] = [];
    for (const status of workingStatuses)
      all.push(...(await listInStatus(this.db, this.tableName, orgId, status)));
    return all;
  }

  /** Records that the sweep re-sent this screening's job (no new version); `false` when it moved on meanwhile. */
  markSwept(screening: Screening, at: Date, sweeps: number): Promise<boolean> {
    return markSwept(this.db, this.tableName, screening, at, sweeps);
  }

  /**
   * A worker takes a screening: `queued`, or a working status whose lease has run out (its worker died).
   * Returns the claimed screening, or `null` when someone else holds it or it has moved on.
   */
  async claim(
    orgId: string,
    screeningId: string,
    now: Date,
    leaseSeconds: number,
  ): Promise<Screening | null> {
    const current = await this.getScreening(orgId, screeningId);
    if (!current) return null;
    const leaseFree =
      current.status === 'queued' ||
      ((current.status === 'extracting' || current.status === 'drafting') &&
        (current.leaseExpiresAt === null || new Date(current.leaseExpiresAt) <= now));
    if (!leaseFree) return null;
    try {
      return await this.transition(orgId, screeningId, {
        from: [current.status],
        to: 'extracting',
        expectedVersion: current.version,
        now,
        // Checked again in the write: a lease renewed since the read above (no new version) is not taken.
        leaseFreeAt: now,
        set: {
          attempts: current.attempts + 1,
          leaseExpiresAt: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
        },
      });
    } catch (error) {
      if (error instanceof StaleScreeningError) return null;
      throw error;
    }
  }

  /**
   * Extends the lease of a screening the caller holds, from the expiry it wrote last (`held`) to `until`, without a
   * new version. `false` when it no longer holds it: another worker claimed it after the lease ran out, or it moved on.
   */
  renewLease(orgId: string, screeningId: string, held: string, until: string): Promise<boolean> {
    return renewLease(this.db, this.tableName, orgId, screeningId, held, until);
  }

  /**
   * Moves a screening from one of `from` to `to`, conditional on its status (and version when given). Moves it between
   * status partitions of the review index too. Throws `StaleScreeningError` when the condition fails.
   */
  async transition(
    orgId: string,
    screeningId: string,
    change: {
      from: readonly ScreeningStatus[];
      to: ScreeningStatus;
      expectedVersion?: number;
      now: Date;
      reason?: StatusReason | null;
      set?: Partial<Pick<Screening, 'attempts' | 'leaseExpiresAt'>>;
      leaseFreeAt?: Date;
    },
  ): Promise<Screening> {
    const update = this.transitionUpdate(orgId, screeningId, change);
    try {
      const out = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }));
      return Screening.parse(strip(out.Attributes ?? {}));
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new StaleScreeningError(
          `screening ${screeningId} is not in ${change.from.join('|')} at that version`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  /** Records where a submission's extracted text is, once the worker has extracted it. */
  async setSubmissionText(
    orgId: string,
    screeningId: string,
    submissionId: string,
    text: Pick<Submission, 'textKey' | 'charCount' | 'pageCount'>,
  ): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.submission(orgId, screeningId, submissionId),
        UpdateExpression: 'SET textKey = :t, charCount = :c, pageCount = :p',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':t': text.textKey, ':c': text.charCount, ':p': text.pageCount },
      }),
    );
  }

  /** Stores the draft and moves `drafting -> drafted` in one transaction: there is never a drafted screening without a draft. */
  async saveDraft(
    orgId: string,
    screeningId: string,
    assessment: Assessment,
    expectedVersion: number,
    now: Date,
  ): Promise<void> {
    const update = this.transitionUpdate(orgId, screeningId, {
      from: ['drafting'],
      to: 'drafted',
      expectedVersion,
      now,
      reason: null,
      set: {
        leaseExpiresAt: null,
        flagCodes: [...new Set(assessment.flags.map((f) => f.code))],
        rubricHash: assessment.provenance.rubricHash,
      },
    });
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { PK: keys.screening(orgId, screeningId).PK, SK: 'DRAFT', type: 'draft', assessment },
              },
            },
            { Update: update },
          ],
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new StaleScreeningError(`screening ${screeningId} moved on`, { cause: error });
      throw error;
    }
  }

  /**
   * The conditional update behind `transition`, for callers that write it in a transaction of their own (the review
   * stores the human final and an audit event with it: `src/review/review-store.ts`).
   */
  transitionUpdate(
    orgId: string,
    screeningId: string,
    change: {
      from: readonly ScreeningStatus[];
      to: ScreeningStatus;
      expectedVersion?: number;
      now: Date;
      reason?: StatusReason | null;
      set?: Partial<Pick<Screening, 'attempts' | 'leaseExpiresAt' | 'flagCodes' | 'redraft' | 'rubricHash'>>;
      /** Also require the lease to be free at this time (see `leaseFreeCondition`): the claim's condition. */
      leaseFreeAt?: Date;
    },
  ) {
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = {
      ':to': change.to,
      ':one': 1,
      ':now': change.now.toISOString(),
      ':gsi1pk': keys.statusPartition(orgId, change.to),
    };
    const sets = ['#status = :to', '#version = #version + :one', 'updatedAt = :now', 'GSI1PK = :gsi1pk'];
    if (change.reason !== undefined) {
      sets.push('statusReason = :reason');
      values[':reason'] = change.reason;
    }
    for (const [field, value] of Object.entries(change.set ?? {})) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const fromPlaceholders = change.from.map((status, i) => {
      values[`:from${i}`] = status;
      return `:from${i}`;
    });
    let condition = `attribute_exists(PK) AND #status IN (${fromPlaceholders.join(', ')})`;
    if (change.expectedVersion !== undefined) {
      condition += ' AND #version = :expectedVersion';
      values[':expectedVersion'] = change.expectedVersion;
    }
    if (change.leaseFreeAt) {
      const lease = leaseFreeCondition(change.leaseFreeAt);
      names['#leaseExpiresAt'] = 'leaseExpiresAt';
      Object.assign(values, lease.values);
      condition += ` AND ${lease.expression}`;
    }
    return {
      TableName: this.tableName,
      Key: keys.screening(orgId, screeningId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  /** The screenings of one candidate of the organisation (ids and kinds, oldest first); empty for an unknown candidate. */
  async listCandidateScreenings(
    orgId: string,
    candidateId: string,
  ): Promise<Array<{ screeningId: string; kind: Screening['kind']; receivedAt: string }>> {
    const out: Array<{ screeningId: string; kind: Screening['kind']; receivedAt: string }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :scr)',
          ExpressionAttributeValues: { ':pk': keys.candidatePartition(orgId, candidateId), ':scr': 'SCR#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(CandidateScreeningItem.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  /** Organisations registered at creation (see `AuthStore.createOrg`): ids only, to resume their unfinished work. */
  async listOrgIds(): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.orgRegistry('').PK },
    });
    return items.map((item) => String(item.orgId));
  }
}
