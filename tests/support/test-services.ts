import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { DiskBlobStore } from '../../src/blob/disk-blob-store';
import { type Config, loadConfig } from '../../src/core/config';
import { newId } from '../../src/core/ids';
import { createLogger } from '../../src/core/logger';
import type { Services } from '../../src/core/services';
import { createTableStores } from '../../src/core/table-stores';
import type { Drafter } from '../../src/drafting/drafter';
import { OfflineDrafter } from '../../src/drafting/offline-drafter';
import { extractDocument } from '../../src/extraction/extract';
import { InProcessQueue } from '../../src/queue/in-process-queue';
import { loadRubric, type Rubric } from '../../src/rubric/rubric';
import { processScreeningJob } from '../../src/screening/process-screening';
import { createDocumentClient, ensureTable } from '../../src/store/dynamo';
import { seedTestOrg, type TestOrg } from './test-org';

/**
 * Real services for tests: DynamoDB Local over HTTP (a fresh table per call), blobs in a temp folder, the in-process
 * queue. Only the drafter may be swapped, and only for the LLM that cannot be reached from here.
 */
export interface TestServices {
  services: Services;
  queue: InProcessQueue;
  tableName: string;
  dataDir: string;
  /** The configured resume rubric, as the worker loads it. */
  rubric: Rubric;
  /** A new organisation with one user per role, and a token for each. */
  newOrg(): Promise<TestOrg>;
  close(): Promise<void>;
}

export async function createTestServices(
  options: { drafter?: Drafter; env?: Record<string, string>; startWorker?: boolean } = {},
): Promise<TestServices> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `vetline-test-${newId('evt').slice(4).toLowerCase()}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-test-'));
  const config: Config = loadConfig({
    DYNAMODB_ENDPOINT: endpoint,
    DYNAMODB_TABLE: tableName,
    VETLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const db = createDocumentClient({ endpoint, region: config.dynamo.region });
  await ensureTable(db, tableName);
  const queue = new InProcessQueue({ concurrency: config.worker.concurrency });
  const rubric = await loadRubric(config.rubricId);
  const services: Services = {
    config,
    logger: createLogger(config.logLevel),
    ...createTableStores(db, tableName, config.drafting),
    blobs: new DiskBlobStore(path.join(dataDir, 'blobs')),
    queue,
    drafter: options.drafter ?? new OfflineDrafter(),
    extract: extractDocument,
    now: () => new Date(),
  };
  if (options.startWorker !== false) queue.start((job) => processScreeningJob(services, job));

  return {
    services,
    queue,
    tableName,
    dataDir,
    rubric,
    newOrg: () => seedTestOrg(services.auth),
    close: async () => {
      await queue.stop();
      db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type { TestOrg } from './test-org';
