import type { AuthStore } from '../auth/auth-store';
import type { BlobStore } from '../blob/blob-store';
import type { Drafter } from '../drafting/drafter';
import type { PromptTemplate } from '../prompting/prompt-template';
import type { JobQueue } from '../queue/job-queue';
import type { Rubric } from '../rubric/rubric';
import type { ScreeningStore } from '../store/screening-store';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Everything the application needs, built once per process by a runtime (`src/local/runtime.ts` locally, the Lambda
 * entries on AWS) and passed down. Tests build it with real adapters pointed at DynamoDB Local and a temp folder.
 */
export interface Services {
  config: Config;
  logger: Logger;
  screenings: ScreeningStore;
  auth: AuthStore;
  blobs: BlobStore;
  queue: JobQueue;
  drafter: Drafter;
  rubric: Rubric;
  template: PromptTemplate;
  now: () => Date;
}
