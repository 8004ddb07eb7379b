import path from 'node:path';
import { DiskBlobStore } from '../blob/disk-blob-store';
import type { Config } from '../core/config';
import { createLogger, type Logger } from '../core/logger';
import type { Services } from '../core/services';
import { createTableStores } from '../core/table-stores';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { OpenAiDrafter } from '../drafting/openai-drafter';
import { extractDocument } from '../extraction/extract';
import { InProcessQueue } from '../queue/in-process-queue';
import { preloadPrompts } from '../screening/preload-prompts';
import { processScreeningJob } from '../screening/process-screening';
import { createDocumentClient, ensureTable } from '../store/dynamo';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';

/**
 * The local runtime: the same services as on AWS, with the embedded adapters. DynamoDB Local (unless
 * DYNAMODB_ENDPOINT names another DynamoDB), blobs on disk, an in-process queue, and the offline drafter unless an
 * OpenAI-compatible endpoint is configured. On start it resumes the work that was unfinished when it last stopped.
 */
export interface LocalRuntime {
  services: Services;
  queue: InProcessQueue;
  dynamoEndpoint: string;
  /** How many unfinished screenings were re-queued at start. */
  resumed: number;
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  logger?: Logger;
  /** Replaces the drafter chosen from the config (tests use this to count calls). */
  drafter?: Drafter;
  now?: () => Date;
  /** Re-queue the table's unfinished work at start (default). The CLI says no: a server may own that work. */
  resume?: boolean;
}

export function drafterFor(config: Config): Drafter {
  return config.llm ? new OpenAiDrafter(config.llm) : new OfflineDrafter();
}

export async function startLocalRuntime(
  config: Config,
  options: LocalRuntimeOptions = {},
): Promise<LocalRuntime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let dynamoLocal: DynamoDbLocal | null = null;
  let endpoint = config.dynamo.endpoint;
  if (!endpoint) {
    dynamoLocal = await startDynamoDbLocal({
      port: config.dynamo.localPort,
      dbPath: path.join(config.dataDir, 'dynamodb'),
    });
    endpoint = dynamoLocal.endpoint;
    logger.info(dynamoLocal.owned ? 'DynamoDB Local started' : 'DynamoDB Local already running; reused', {
      endpoint,
    });
  }
  const db = createDocumentClient({ endpoint, region: config.dynamo.region });
  await ensureTable(db, config.dynamo.table);

  await preloadPrompts(config);
  const queue = new InProcessQueue({
    concurrency: config.worker.concurrency,
    onError: (job, error) => logger.error('job handler threw', { ...job, error }),
  });
  const services: Services = {
    config,
    logger,
    ...createTableStores(db, config.dynamo.table, config.drafting),
    blobs: new DiskBlobStore(path.join(config.dataDir, 'blobs')),
    queue,
    drafter: options.drafter ?? drafterFor(config),
    extract: extractDocument,
    now: options.now ?? (() => new Date()),
  };
  queue.start((job) => processScreeningJob(services, job));
  const resumed = options.resume === false ? 0 : await resumeUnfinishedWork(services, queue);
  if (resumed > 0) logger.info('resumed unfinished screenings', { count: resumed });

  return {
    services,
    queue,
    dynamoEndpoint: endpoint,
    resumed,
    stop: async () => {
      await queue.stop();
      db.destroy();
      await dynamoLocal?.stop();
    },
  };
}

/**
 * Re-queues every screening left in a working status. The local runtime is the only worker of its table, so the
 * leases it finds were held by a process that is gone: they are released first (a conditional write on the version
 * read, so a live worker elsewhere would still win) and the work is taken again at once.
 */
export async function resumeUnfinishedWork(services: Services, queue: InProcessQueue): Promise<number> {
  let count = 0;
  for (const orgId of await services.screenings.listOrgIds()) {
    for (const screening of await services.screenings.listUnfinished(orgId)) {
      if (screening.status !== 'queued') await services.screenings.releaseLease(orgId, screening);
      await queue.enqueue({ orgId, screeningId: screening.id });
      count++;
    }
  }
  return count;
}
