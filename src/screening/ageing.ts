import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '../store/paging';
import { indexNames, keys } from '../store/table';
import type { ScreeningStatus } from './screening';

/**
 * Screenings near the ten-day window: top candidates are off the market in about ten days, so a screening still
 * waiting (on the pipeline or on a reviewer) `warnDays` after it arrived needs someone's attention, and one past
 * `windowDays` is overdue. Read from the sparse status index, one organisation and one status partition at a time,
 * with a key condition on the received time: nothing scans, and only ids and times are read (no candidate data).
 */
export const waitingStatuses = [
  'queued',
  'extracting',
  'drafting',
  'drafted',
  'failed',
] as const satisfies readonly ScreeningStatus[];

export interface AgeingScreening {
  screeningId: string;
  status: ScreeningStatus;
  receivedAt: string;
  ageDays: number;
}

export interface OrgAgeingReport {
  orgId: string;
  /** Waiting at least `warnDays`. */
  ageing: number;
  /** Of those, waiting at least `windowDays`. */
  overdue: number;
  byStatus: Partial<Record<ScreeningStatus, number>>;
  oldestReceivedAt: string | null;
  /** The oldest first, at most `listLimit` of them. */
  screenings: AgeingScreening[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function ageingReport(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgId: string,
  options: { now: Date; warnDays: number; windowDays: number; listLimit?: number },
): Promise<OrgAgeingReport> {
  const cutoff = new Date(options.now.getTime() - options.warnDays * DAY_MS).toISOString();
  const overdueBefore = options.now.getTime() - options.windowDays * DAY_MS;
  const found: AgeingScreening[] = [];
  const byStatus: Partial<Record<ScreeningStatus, number>> = {};
  for (const status of waitingStatuses) {
    const received = await queryAll(db, {
      TableName: tableName,
      IndexName: indexNames.gsi1,
      // GSI1SK is `<receivedAt>#<screeningId>`: ISO times sort as strings, so "< cutoff" is "received before".
      KeyConditionExpression: 'GSI1PK = :p AND GSI1SK < :cutoff',
      ExpressionAttributeValues: { ':p': keys.statusPartition(orgId, status), ':cutoff': cutoff },
      ProjectionExpression: 'id, receivedAt',
    });
    for (const item of received) {
      const receivedAt = String(item.receivedAt);
      found.push({
        screeningId: String(item.id),
        status,
        receivedAt,
        ageDays: Math.floor((options.now.getTime() - Date.parse(receivedAt)) / DAY_MS),
      });
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  }
  found.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  return {
    orgId,
    ageing: found.length,
    overdue: found.filter((s) => Date.parse(s.receivedAt) <= overdueBefore).length,
    byStatus,
    oldestReceivedAt: found[0]?.receivedAt ?? null,
    screenings: found.slice(0, options.listLimit ?? 50),
  };
}
