import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Config } from '../core/config';
import type { FunctionName } from './observability';

/**
 * CloudWatch metrics (embedded metric format on stdout: no API calls, no extra latency) in the `Vetline` namespace,
 * per function and stage. Kept apart from the logger so the API function, which emits none, does not bundle it.
 */
export function functionMetrics(config: Config, fn: FunctionName): Metrics {
  return new Metrics({
    namespace: 'Vetline',
    serviceName: `vetline-${fn}`,
    defaultDimensions: { stage: config.aws.stage },
  });
}
