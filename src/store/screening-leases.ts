import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { Screening, type ScreeningStatus } from '../screening/screening';
import { queryPages } from './paging';
import { indexNames, keys } from './table';

/**
 * The lease side of the screening store: how a worker keeps the screening it holds (renewal while it drafts), and
 * what the sweep reads and writes to re-queue work whose job message was lost or whose worker died.
 *
 * A lease is the `leaseExpiresAt` a worker wrote when it claimed the screening. It is renewed without changing the
 * screening's version (the worker's later writes are conditional on that version), conditional on the expiry the
 * worker itself wrote last: a worker that claimed the screening after the lease ran out wrote another, so a renewal
 * tells the first worker, for sure, that it has lost the screening.
 */

/** The condition under which a screening may be claimed: queued, or its lease is free (none, or run out). */
export function leaseFreeCondition(now: Date): { expression: string; values: Record<string, unknown> } {
  return {
    expression:
      '(#status = :leaseQueued OR attribute_not_exists(#leaseExpiresAt) OR attribute_type(#leaseExpiresAt, :leaseNull) OR #leaseExpiresAt <= :leaseNow)',
    values: { ':leaseQueued': 'queued', ':leaseNull': 'NULL', ':leaseNow': now.toISOString() },
  };
}

/** Extends a lease the caller holds; `false` when it no longer does (someone else claimed it, or it moved on). */
export async function renewLease(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgId: string,
  screeningId: string,
  held: string,
  until: string,
): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.screening(orgId, screeningId),
        UpdateExpression: 'SET leaseExpiresAt = :until',
        ConditionExpression: 'leaseExpiresAt = :held AND #status IN (:e, :d)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':until': until, ':held': held, ':e': 'extracting', ':d': 'drafting' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * A screening in a working status as the sweep sees it: when the sweep last re-sent its job, and how many times it
 * has re-sent it since the screening last moved. Both count only while the screening keeps the version the sweep saw
 * (a claim, a transition or a re-queue makes a new version, and a new episode); they are not part of the domain
 * `Screening` (nor of the API).
 */
export interface SweepCandidate {
  screening: Screening;
  sweptAt: string | null;
  sweeps: number;
}

const SweepMark = z.object({
  sweptAt: z.iso.datetime().optional(),
  sweeps: z.number().int().min(0).optional(),
  sweptVersion: z.number().int().optional(),
});

/**
 * Every screening of one organisation in one status, from the sparse status index (never a Scan). Working statuses
 * are short-lived, so these partitions are small unless something is stuck, which is what the sweep is for.
 */
export async function listInStatus(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgId: string,
  status: ScreeningStatus,
): Promise<SweepCandidate[]> {
  const out: SweepCandidate[] = [];
  for await (const page of queryPages(db, {
    TableName: tableName,
    IndexName: indexNames.gsi1,
    KeyConditionExpression: 'GSI1PK = :p',
    ExpressionAttributeValues: { ':p': keys.statusPartition(orgId, status) },
  })) {
    for (const item of page.items) {
      const screening = Screening.parse(item);
      const mark = SweepMark.parse(item);
      const current = mark.sweptVersion === screening.version;
      out.push({
        screening,
        sweptAt: current ? (mark.sweptAt ?? null) : null,
        sweeps: current ? (mark.sweeps ?? 0) : 0,
      });
    }
  }
  return out;
}

/**
 * Notes that the sweep re-sent a job for the `sweeps`th time, unless the screening moved on meanwhile (no new
 * version: nothing about the screening changed).
 */
export async function markSwept(
  db: DynamoDBDocumentClient,
  tableName: string,
  screening: Screening,
  at: Date,
  sweeps: number,
): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.screening(screening.orgId, screening.id),
        UpdateExpression: 'SET sweptAt = :at, sweeps = :n, sweptVersion = :v',
        ConditionExpression: '#version = :v',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':n': sweeps, ':v': screening.version },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
