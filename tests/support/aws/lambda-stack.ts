import { inject } from 'vitest';
import type { Role } from '../../../src/auth/auth-store';
import { createLambdaServices, type LambdaServices } from '../../../src/aws/lambda-services';
import { lambdaConfig } from '../../../src/aws/resources';
import type { Config } from '../../../src/core/config';
import { newId } from '../../../src/core/ids';
import { createLogger } from '../../../src/core/logger';
import type { Services } from '../../../src/core/services';
import type { Drafter } from '../../../src/drafting/drafter';
import { createDocumentClient, ensureTable } from '../../../src/store/dynamo';
import { seedTestOrg } from '../test-org';
import { type LocalS3, startLocalS3 } from './s3-server';
import { type SqsWire, startSqsWire } from './sqs-wire';

/**
 * What a deployed stage gives the functions, on this machine: a fresh table in DynamoDB Local, a bucket in s3rver,
 * the SQS wire, and the links SST would set (`Resource.App`, `Resource.Table`...), mapped by the same
 * `lambdaConfig` the functions use.
 */
export interface LambdaStack {
  config: Config;
  tableName: string;
  bucket: string;
  s3: LocalS3;
  sqs: SqsWire;
  /** The links as SST's `Resource` holds them. */
  resources: Record<string, unknown>;
  /** The environment a function would see, besides its links (endpoints point at this machine). */
  env: Record<string, string>;
  build(options: { extract: Services['extract']; drafter: Drafter }): Promise<LambdaServices>;
  newOrg(services: Services): Promise<{ orgId: string; tokens: Record<Role, string> }>;
  close(): Promise<void>;
}

export async function startLambdaStack(extraEnv: Record<string, string> = {}): Promise<LambdaStack> {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const [s3, sqs] = await Promise.all([startLocalS3(), startSqsWire()]);
  const bucket = await s3.newBucket();
  const tableName = `vetline-test-${newId('evt').slice(4).toLowerCase()}`;
  const db = createDocumentClient({ endpoint: dynamoEndpoint, region: 'us-east-1' });
  await ensureTable(db, tableName);
  db.destroy();
  const resources = {
    App: { name: 'vetline', stage: 'test' },
    Table: { name: tableName, type: 'sst.aws.Dynamo' },
    Uploads: { name: bucket, type: 'sst.aws.Bucket' },
    Jobs: { url: sqs.queueUrl(), type: 'sst.aws.Queue' },
    OpenAiApiKey: { value: 'unset', type: 'sst.sst.Secret' },
  };
  const env = {
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    S3_ENDPOINT: s3.endpoint,
    SQS_ENDPOINT: sqs.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  const config = lambdaConfig(env, resources);
  const built: LambdaServices[] = [];
  return {
    config,
    tableName,
    bucket,
    s3,
    sqs,
    resources,
    env,
    build: async (options) => {
      const services = await createLambdaServices(config, {
        logger: createLogger('silent'),
        extract: options.extract,
        drafter: options.drafter,
      });
      built.push(services);
      return services;
    },
    newOrg: async (services) => {
      const { orgId, tokens } = await seedTestOrg(services.auth);
      return { orgId, tokens };
    },
    close: async () => {
      for (const b of built) {
        b.db.destroy();
      }
      await Promise.all([s3.close(), sqs.close()]);
    },
  };
}
