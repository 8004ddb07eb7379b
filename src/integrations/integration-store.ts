import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '../store/table';
import { Integration, type Vendor } from './integration';

const strip = (item: Record<string, unknown>) => {
  const { PK: _pk, SK: _sk, type: _t, ...rest } = item;
  return rest;
};

/**
 * Integration settings in the single table: one item per organisation and vendor, all in the organisation's
 * `O#<org>#INT` partition (one Query lists them). Secrets are stored as given: plain in DynamoDB Local; on AWS the
 * table is encrypted at rest, and the README says what production should add (KMS envelope encryption).
 */
export class IntegrationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(orgId: string, vendor: Vendor): Promise<Integration | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.integration(orgId, vendor),
        ConsistentRead: true,
      }),
    );
    return out.Item ? Integration.parse(strip(out.Item)) : null;
  }

  async list(orgId: string): Promise<Integration[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.integrationPartition(orgId) },
      }),
    );
    return (out.Items ?? []).map((item) => Integration.parse(strip(item)));
  }

  async put(integration: Integration): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.integration(integration.orgId, integration.vendor),
          type: 'integration',
          ...integration,
        },
      }),
    );
  }

  async delete(orgId: string, vendor: Vendor): Promise<boolean> {
    const out = await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.integration(orgId, vendor),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes !== undefined;
  }

  /** Counts a delivery that failed its signature check, so an admin can see a misconfigured secret. */
  async recordSignatureFailure(orgId: string, vendor: Vendor, now: Date): Promise<void> {
    await this.touch(orgId, vendor, 'SET lastSignatureFailureAt = :now ADD signatureFailures :one', {
      ':now': now.toISOString(),
      ':one': 1,
    });
  }

  async recordPing(orgId: string, vendor: Vendor, now: Date): Promise<void> {
    await this.touch(orgId, vendor, 'SET lastPingAt = :now', { ':now': now.toISOString() });
  }

  private async touch(
    orgId: string,
    vendor: Vendor,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.integration(orgId, vendor),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // Deleted meanwhile: nothing to count on.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
