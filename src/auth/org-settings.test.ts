import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { newEvent } from '../review/review-store';
import { createDocumentClient } from '../store/dynamo';
import { keys } from '../store/table';
import { OrgSettingsConflict, writeOrgSettings } from './org-settings';

// Organisation settings and their audit event in one conditional transaction, against DynamoDB Local.
let t: TestServices;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());

const client = () => createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: 'us-east-1' });

describe('writeOrgSettings', () => {
  it('writes the settings and the audit event together, the event’s "before" being what it replaced', async () => {
    const org = await t.newOrg();
    const db = client();
    try {
      const change = await writeOrgSettings(db, t.tableName, org.orgId, { blindScreening: false }, (c) =>
        t.services.reviews.orgEventPut(
          newEvent(
            org.principals.admin,
            'org.settings_updated',
            { type: 'org', id: org.orgId },
            c,
            new Date(),
          ),
        ),
      );
      expect(change).toEqual({
        before: { blindScreening: true, resumeRubricId: null },
        after: { blindScreening: false, resumeRubricId: null },
      });
      expect((await t.services.auth.getOrg(org.orgId))?.settings).toEqual({
        blindScreening: false,
        resumeRubricId: null,
      });
      const events = await t.services.reviews.listOrgEvents(org.orgId, { limit: 10 });
      expect(events.items).toHaveLength(1);
      expect(await writeOrgSettings(db, t.tableName, 'org_nobody', { blindScreening: false })).toBeNull();
    } finally {
      db.destroy();
    }
  });

  it('refuses to write over a change made between its read and its write, and writes no event then', async () => {
    const org = await t.newOrg();
    const db = client();
    const other = client();
    // Another admin's write lands just before our transaction is sent.
    db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          await other.send(
            new UpdateCommand({
              TableName: t.tableName,
              Key: keys.org(org.orgId),
              UpdateExpression: 'SET settings = :s',
              ExpressionAttributeValues: { ':s': { blindScreening: false } },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'concurrentWriter' },
    );
    try {
      await expect(
        writeOrgSettings(db, t.tableName, org.orgId, { blindScreening: true }, (c) =>
          t.services.reviews.orgEventPut(
            newEvent(
              org.principals.admin,
              'org.settings_updated',
              { type: 'org', id: org.orgId },
              c,
              new Date(),
            ),
          ),
        ),
      ).rejects.toBeInstanceOf(OrgSettingsConflict);
      expect((await t.services.auth.getOrg(org.orgId))?.settings).toEqual({
        blindScreening: false,
        resumeRubricId: null,
      });
      expect((await t.services.reviews.listOrgEvents(org.orgId, { limit: 10 })).items).toEqual([]);
    } finally {
      db.destroy();
      other.destroy();
    }
  });
});
