/**
 * The worker function: screening jobs from SQS, with the extractor (pdf.js, mammoth) and the drafter.
 */
import { Resource } from 'sst/resource';
import { createLambdaServices } from '../src/aws/lambda-services';
import { functionMetrics } from '../src/aws/metrics';
import { observability } from '../src/aws/observability';
import { lambdaConfig } from '../src/aws/resources';
import { workerDrafter } from '../src/aws/worker-drafter';
import { createWorkerHandler } from '../src/aws/worker-handler';
import { extractDocument } from '../src/extraction/extract';
import { preloadPrompts } from '../src/screening/preload-prompts';

const config = lambdaConfig(process.env, Resource);
const { powertools, logger } = observability(config, 'worker');
const metrics = functionMetrics(config, 'worker');
// Embedded in the bundle at build time (infra/esbuild-plugins.mjs): validated here, once, at cold start.
await preloadPrompts(config);
const { services, dynamo } = await createLambdaServices(config, {
  logger,
  extract: extractDocument,
  drafter: workerDrafter(config),
});

export const handler = createWorkerHandler({
  services,
  dynamo,
  logger: powertools,
  metrics,
  idempotencySeconds: config.aws.idempotencySeconds,
});
