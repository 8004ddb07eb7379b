import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import { createPowertoolsLogger, powertoolsLogger } from './powertools-logger';

export type FunctionName = 'api' | 'worker' | 'ageing';

/** One function's logger (ours over Powertools'), named after the function and tagged with the stage. */
export interface Observability {
  powertools: PowertoolsLogger;
  logger: Logger;
}

export function observability(config: Config, fn: FunctionName): Observability {
  const powertools = createPowertoolsLogger(`vetline-${fn}`, config.logLevel);
  powertools.appendPersistentKeys({ stage: config.aws.stage });
  return { powertools, logger: powertoolsLogger(powertools) };
}
