import type { Assessment } from '../assessment/assessment';
import type { Screening } from '../screening/screening';
import { keys } from '../store/table';
import type { HumanFinal } from './review';

/**
 * A human final belongs to the draft it was made against. When a screening is re-drafted (an admin's re-queue), its
 * final is set aside under `FINAL#<version>` in the re-queue's transaction: the review of the new draft starts from
 * the new draft, nothing is prefilled from the old one, and the old final is kept (the page and API show it as
 * history, and the re-queue's audit event records it). Nothing is overwritten.
 */
export function setAsideFinal(tableName: string, orgId: string, screening: Screening, final: HumanFinal) {
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.pastFinal(orgId, screening.id, screening.version), type: 'past_final', final },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    {
      Delete: {
        TableName: tableName,
        Key: keys.final(orgId, screening.id),
        // The final read with the screening: a newer one would have changed the version too.
        ConditionExpression: '#final.reviewedAt = :reviewedAt',
        ExpressionAttributeNames: { '#final': 'final' },
        ExpressionAttributeValues: { ':reviewedAt': final.reviewedAt },
      },
    },
  ];
}

/**
 * A final older than the draft was made against an earlier draft (one re-drafted before finals were set aside on
 * re-queue): it is history, not the review of this draft. Reviews are only ever made of a saved draft, so a current
 * final is always newer than its draft.
 */
export function separateStaleFinal<
  R extends { draft: Assessment | null; final: HumanFinal | null; pastFinals: HumanFinal[] },
>(record: R): R {
  if (!record.final || !record.draft || record.final.reviewedAt >= record.draft.provenance.createdAt)
    return record;
  return { ...record, final: null, pastFinals: [...record.pastFinals, record.final] };
}
