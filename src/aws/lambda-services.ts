import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createS3Client, S3BlobStore } from '../blob/s3-blob-store';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { Services } from '../core/services';
import { createTableStores } from '../core/table-stores';
import type { Drafter } from '../drafting/drafter';
import { createSqsClient, SqsJobQueue } from '../queue/sqs-queue';
import { createDocumentClient, createDynamoClient } from '../store/dynamo';

/**
 * The Lambda composition of `Services`: the same application as `src/local/runtime.ts` builds, with DynamoDB, S3 and
 * SQS in place of DynamoDB Local, the disk and the in-process queue. Built once per execution environment (at module
 * scope in `functions/`), so clients and the validated rubric are reused across invocations.
 */
export interface LambdaServicesOptions {
  logger: Logger;
  /** `null` in the API function (no PDF/DOCX parsers in its bundle); `extractDocument` in the worker. */
  extract: Services['extract'];
  /** The worker's comes from the config (`workerDrafter`); the API's is `noDrafter`: it never drafts. */
  drafter: Drafter;
  now?: () => Date;
}

export interface LambdaServices {
  services: Services;
  /** The low-level DynamoDB client, shared with Powertools idempotency. */
  dynamo: DynamoDBClient;
  db: DynamoDBDocumentClient;
}

export class MissingResourceError extends Error {
  override readonly name = 'MissingResourceError';
}

export async function createLambdaServices(
  config: Config,
  options: LambdaServicesOptions,
): Promise<LambdaServices> {
  const { blobBucket, queueUrl } = config.aws;
  if (!blobBucket)
    throw new MissingResourceError('No blob bucket: link the Uploads bucket or set VETLINE_BLOB_BUCKET.');
  if (!queueUrl)
    throw new MissingResourceError('No job queue: link the Jobs queue or set VETLINE_QUEUE_URL.');
  const region = config.dynamo.region;
  const dynamo = createDynamoClient({ endpoint: config.dynamo.endpoint, region });
  const db = createDocumentClient({ endpoint: config.dynamo.endpoint, region }, dynamo);
  const services: Services = {
    config,
    logger: options.logger,
    ...createTableStores(db, config.dynamo.table, config.drafting),
    blobs: new S3BlobStore({
      bucket: blobBucket,
      client: createS3Client({ region, endpoint: config.aws.s3Endpoint }),
    }),
    queue: new SqsJobQueue(createSqsClient({ region, endpoint: config.aws.sqsEndpoint }), queueUrl),
    drafter: options.drafter,
    extract: options.extract,
    now: options.now ?? (() => new Date()),
  };
  return { services, dynamo, db };
}
