import { linkNames } from '../src/aws/resources';
import { tableDefinition, ttlAttribute } from '../src/store/table';
import type { StackSettings } from './settings';

type FieldType = 'string' | 'number' | 'binary';
const fieldTypes: Record<string, FieldType> = { S: 'string', N: 'number', B: 'binary' };

/**
 * The single table as `src/store/table.ts` declares it: fields, primary key and global indexes are derived from
 * `tableDefinition`, never restated, so the stack and DynamoDB Local (which the tests create from the same
 * definition) cannot drift apart.
 */
export function tableArgs(production: boolean) {
  const def = tableDefinition('derived');
  const fields: Record<string, FieldType> = {};
  for (const attribute of def.AttributeDefinitions ?? []) {
    const type = fieldTypes[attribute.AttributeType ?? ''];
    if (!attribute.AttributeName || !type)
      throw new Error(`unsupported attribute ${attribute.AttributeName}`);
    fields[attribute.AttributeName] = type;
  }
  const keyOf = (schema: typeof def.KeySchema, kind: 'HASH' | 'RANGE') =>
    schema?.find((k) => k.KeyType === kind)?.AttributeName;
  const hashKey = keyOf(def.KeySchema, 'HASH');
  if (!hashKey) throw new Error('the table has no hash key');
  const globalIndexes: Record<
    string,
    { hashKey: string; rangeKey?: string; projection: 'all' | 'keys-only' }
  > = {};
  for (const index of def.GlobalSecondaryIndexes ?? []) {
    const indexHash = keyOf(index.KeySchema, 'HASH');
    if (!index.IndexName || !indexHash) throw new Error('an index without a name or hash key');
    const indexRange = keyOf(index.KeySchema, 'RANGE');
    globalIndexes[index.IndexName] = {
      hashKey: indexHash,
      ...(indexRange ? { rangeKey: indexRange } : {}),
      projection: index.Projection?.ProjectionType === 'KEYS_ONLY' ? 'keys-only' : 'all',
    };
  }
  const rangeKey = keyOf(def.KeySchema, 'RANGE');
  return {
    fields,
    primaryIndex: { hashKey, ...(rangeKey ? { rangeKey } : {}) },
    globalIndexes,
    ttl: ttlAttribute,
    deletionProtection: production,
  };
}

export function storage(settings: StackSettings) {
  const { production } = settings;
  const table = new sst.aws.Dynamo(linkNames.table, {
    ...tableArgs(production),
    transform: {
      table: (args) => {
        args.billingMode = 'PAY_PER_REQUEST';
        args.pointInTimeRecovery = { enabled: production };
      },
    },
  });

  // Private (SST blocks public access and enforces HTTPS by default), encrypted at rest, and emptied of uploads
  // after the retention period; versioning stays off so a deleted resume is gone, not kept as an old version.
  const bucket = new sst.aws.Bucket(linkNames.bucket, {
    lifecycle: [{ id: 'retention', expiresIn: `${settings.retentionDays} days` }],
  });
  new aws.s3.BucketServerSideEncryptionConfiguration('UploadsEncryption', {
    bucket: bucket.name,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
  });
  return { table, bucket };
}
