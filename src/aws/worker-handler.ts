import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Services } from '../core/services';
import type { ScreeningJob } from '../queue/job-queue';
import { processScreeningJob } from '../screening/process-screening';
import { idempotencyPartition, ttlAttribute } from '../store/table';
import { PoisonMessageError, parseJobMessage } from './job-message';
import { DEADLINE_MARGIN_MS } from './worker-timing';

export interface WorkerDeps {
  services: Services;
  /** The low-level client over the same table the store uses. */
  dynamo: DynamoDBClient;
  logger: PowertoolsLogger;
  metrics: Metrics;
  /** How long a processed message id is remembered. */
  idempotencySeconds: number;
}

export type WorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What the worker made of one job; stored as the idempotent result, so a duplicate delivery returns it unchanged. */
export interface JobOutcome {
  screeningId: string;
  status: string | null;
}

/**
 * The worker function's handler: an SQS batch, each record a screening job, run through the same
 * `processScreeningJob` as the local in-process queue.
 *
 * - Powertools batch processing reports failed records only (`batchItemFailures`), so one bad message never makes
 *   SQS redeliver its whole batch. A batch where every record failed is reported the same way, not thrown, so every
 *   delivery of a poison message counts towards `maxReceiveCount` and it lands in the dead-letter queue.
 * - Powertools idempotency, keyed by the SQS message id, in our own table (`SYS#IDEMPOTENCY`, expired by the
 *   table's TTL): a duplicate delivery of a message that was processed returns the stored outcome without running
 *   the job again. Duplicate jobs under different message ids are harmless anyway: the claim is a conditional write.
 */
export function createWorkerHandler(deps: WorkerDeps): WorkerHandler {
  const { services, logger, metrics } = deps;
  const processor = new BatchProcessor(EventType.SQS);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: services.config.dynamo.table,
    awsSdkV3Client: deps.dynamo,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    staticPkValue: idempotencyPartition,
    expiryAttr: ttlAttribute,
  });
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'messageId',
    expiresAfterSeconds: deps.idempotencySeconds,
  });

  const runJob = makeIdempotent(
    async (_record: SQSRecord, job: ScreeningJob, deadline: number): Promise<JobOutcome> => {
      await processScreeningJob(services, job, { deadline });
      const screening = await services.screenings.getScreening(job.orgId, job.screeningId);
      return { screeningId: job.screeningId, status: screening?.status ?? null };
    },
    { persistenceStore, config: idempotency, dataIndexArgument: 0 },
  );

  // Set at the start of each invocation; one invocation at a time runs in an execution environment.
  let deadline = Number.POSITIVE_INFINITY;
  const handleRecord = async (record: SQSRecord): Promise<JobOutcome> => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    let job: ScreeningJob;
    try {
      job = parseJobMessage(record.body);
    } catch (error) {
      // The body is not logged: whatever it holds, it is not ours to print.
      logger.error('poison message', {
        messageId: record.messageId,
        receiveCount,
        reason: error instanceof PoisonMessageError ? error.message : 'unreadable',
      });
      metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
      throw error;
    }
    const outcome = await runJob(record, job, deadline);
    logger.info('job done', {
      messageId: record.messageId,
      receiveCount,
      orgId: job.orgId,
      screeningId: job.screeningId,
      status: outcome.status,
    });
    metrics.addMetric(
      outcome.status === 'failed' ? 'ScreeningsFailed' : 'JobsProcessed',
      MetricUnit.Count,
      1,
    );
    return outcome;
  };

  return async (event, context) => {
    logger.resetKeys();
    logger.addContext(context);
    idempotency.registerLambdaContext(context);
    // The records of a batch run side by side: they share the invocation's time, less what a failure takes to record.
    deadline = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
    try {
      return await processPartialResponse(event, handleRecord, processor, {
        context,
        throwOnFullBatchFailure: false,
      });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
