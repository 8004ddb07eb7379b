/**
 * The daily ageing reminders (cron): screenings near the ten-day window, per organisation.
 */
import { Resource } from 'sst/resource';
import { createAgeingHandler } from '../src/aws/ageing-handler';
import { functionMetrics } from '../src/aws/metrics';
import { observability } from '../src/aws/observability';
import { lambdaConfig } from '../src/aws/resources';
import { createDocumentClient } from '../src/store/dynamo';
import { ScreeningStore } from '../src/store/screening-store';

const config = lambdaConfig(process.env, Resource);
const { powertools } = observability(config, 'ageing');
const metrics = functionMetrics(config, 'ageing');
const db = createDocumentClient({ endpoint: config.dynamo.endpoint, region: config.dynamo.region });

export const handler = createAgeingHandler({
  config,
  db,
  screenings: new ScreeningStore(db, config.dynamo.table),
  logger: powertools,
  metrics,
});
