import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableDefinition, ttlAttribute } from './table';

export interface DynamoSettings {
  endpoint: string | undefined;
  region: string;
}

/** The low-level client (Powertools idempotency wants one). With an endpoint, dummy credentials: DynamoDB Local ignores them. */
export function createDynamoClient(settings: DynamoSettings): DynamoDBClient {
  return new DynamoDBClient({
    region: settings.region,
    ...(settings.endpoint
      ? { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 4,
  });
}

/** Builds the document client, over a given low-level client or a new one. */
export function createDocumentClient(
  settings: DynamoSettings,
  client: DynamoDBClient = createDynamoClient(settings),
): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Creates the table (and its TTL setting) when it does not exist. For local runs and tests; on AWS the stack owns it. */
export async function ensureTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (createError) {
      // Two processes starting at once: the loser sees ResourceInUse; both then wait for the table.
      if ((createError as { name?: string }).name !== 'ResourceInUseException') throw createError;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      }),
    );
  }
}
