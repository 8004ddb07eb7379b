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
import { sweepStuckScreenings } from '../screening/sweep';
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
  const resumed = options.resume === false ? 0 : await resumeUnfinishedWork(services);
  if (resumed > 0) logger.info('resumed unfinished screenings', { count: resumed });
  // The server owns the table's unfinished work: it keeps sweeping for what nobody holds. The CLI does not.
  const sweeper = options.resume === false ? null : startSweeping(services);

  return {
    services,
    queue,
    dynamoEndpoint: endpoint,
    resumed,
    stop: async () => {
      await sweeper?.stop();
      await queue.stop();
      db.destroy();
      await dynamoLocal?.stop();
    },
  };
}

/**
 * Re-queues, at start, the screenings nobody holds: every `queued` one (the in-process queue that held their jobs is
 * gone), and those in a working status whose lease has run out. A screening whose lease is still running is left
 * alone: a worker renews its lease while it works (job-control.ts), so a live lease means a live worker, such as the
 * CLI drafting beside this server on the same table. If that worker died instead, its lease runs out within
 * `VETLINE_LEASE_SECONDS` and the next sweep takes the screening.
 */
export async function resumeUnfinishedWork(services: Services): Promise<number> {
  const summary = await sweepStuckScreenings(services, {
    now: services.now(),
    queuedForMs: 0,
    backoff: false,
    maxResends: services.config.sweep.maxResends,
  });
  return summary.requeued;
}

/** Sweeps every `VETLINE_SWEEP_INTERVAL_SECONDS` for screenings whose job was lost or whose worker died. */
export function startSweeping(services: Services): { stop(): Promise<void> } {
  const { config, logger } = services;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      const summary = await sweepStuckScreenings(services, {
        now: services.now(),
        queuedForMs: config.sweep.afterSeconds * 1000,
        maxResends: config.sweep.maxResends,
      });
      if (summary.requeued > 0 || summary.failedSends > 0) logger.info('sweep done', { ...summary });
    } catch (error) {
      logger.warn('sweep failed; it runs again at the next interval', { error });
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = run();
    }, config.sweep.intervalSeconds * 1000);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
