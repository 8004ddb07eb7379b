import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { keys } from '../store/table';

/**
 * An organisation's settings. Every field has a default, so an organisation created before a setting existed reads
 * the default: blind screening is on unless an admin turned it off; resumes are drafted with the deployment's
 * rubric unless an admin chose another from the catalogue (`src/rubric/current-rubric.ts`).
 */
export const OrgSettings = z.object({
  blindScreening: z.boolean().default(true),
  /** The rubric resumes are drafted with when an upload names none; `null`: the deployment's (`VETLINE_RUBRIC`). */
  resumeRubricId: z.string().nullable().default(null),
});
export type OrgSettings = z.infer<typeof OrgSettings>;

/** Stored settings that no longer parse read as the defaults, the safe side (blind screening on). */
export function readOrgSettings(stored: unknown): OrgSettings {
  const parsed = OrgSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : OrgSettings.parse({});
}

/** Another write changed the settings between our read and our write; nothing was written. */
export class OrgSettingsConflict extends Error {
  override readonly name = 'OrgSettingsConflict';
}

/** A Put of the same shape `TransactWriteCommand` takes (an audit event, from `ReviewStore.orgEventPut`). */
export interface TransactPut {
  TableName: string;
  Item: Record<string, unknown>;
  ConditionExpression?: string;
}

/**
 * Writes some settings over the stored ones, in one transaction with the Put that `audit` returns for the change (or
 * none when it returns `null`). The write is conditional on the settings just read, so the "before" the audit event
 * records is exactly what was replaced; a concurrent change throws `OrgSettingsConflict`. `null`: no organisation.
 */
export async function writeOrgSettings(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgId: string,
  patch: Partial<OrgSettings>,
  audit?: (change: { before: OrgSettings; after: OrgSettings }) => TransactPut | null,
): Promise<{ before: OrgSettings; after: OrgSettings } | null> {
  const out = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.org(orgId), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const stored: unknown = out.Item.settings;
  const before = readOrgSettings(stored);
  const after = OrgSettings.parse({ ...before, ...patch });
  const put = audit?.({ before, after }) ?? null;
  const update = {
    TableName: tableName,
    Key: keys.org(orgId),
    UpdateExpression: 'SET settings = :after',
    ConditionExpression:
      stored === undefined ? 'attribute_exists(PK) AND attribute_not_exists(settings)' : 'settings = :stored',
    ExpressionAttributeValues: { ':after': after, ...(stored === undefined ? {} : { ':stored': stored }) },
  };
  try {
    await db.send(
      new TransactWriteCommand({ TransactItems: [{ Update: update }, ...(put ? [{ Put: put }] : [])] }),
    );
  } catch (error) {
    const conflict =
      error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
    if (conflict)
      throw new OrgSettingsConflict(`the settings of ${orgId} changed meanwhile`, { cause: error });
    throw error;
  }
  return { before, after };
}
