/**
 * The cron function: the daily ageing reminders (screenings near the ten-day window, per organisation), and, every
 * five minutes, the sweep that re-queues screenings whose job was lost or whose worker died.
 */
import { Resource } from 'sst/resource';
import { createAgeingHandler } from '../src/aws/ageing-handler';
import { functionMetrics } from '../src/aws/metrics';
import { observability } from '../src/aws/observability';
import { lambdaConfig } from '../src/aws/resources';
import { createCronHandler, createSweepHandler } from '../src/aws/sweep-handler';
import { createSqsClient, SqsJobQueue } from '../src/queue/sqs-queue';
import { createDocumentClient } from '../src/store/dynamo';
import { ScreeningStore } from '../src/store/screening-store';

const config = lambdaConfig(process.env, Resource);
const { powertools, logger } = observability(config, 'ageing');
const metrics = functionMetrics(config, 'ageing');
const db = createDocumentClient({ endpoint: config.dynamo.endpoint, region: config.dynamo.region });
const screenings = new ScreeningStore(db, config.dynamo.table);
// Only the sweep's schedule is linked to the Jobs queue (infra/functions.ts).
const queueUrl = config.aws.queueUrl;
const queue = queueUrl
  ? new SqsJobQueue(
      createSqsClient({ region: config.dynamo.region, endpoint: config.aws.sqsEndpoint }),
      queueUrl,
    )
  : null;

export const handler = createCronHandler({
  ageing: createAgeingHandler({ config, db, screenings, logger: powertools, metrics }),
  sweep: createSweepHandler({ config, screenings, queue, logger, metrics }),
});
