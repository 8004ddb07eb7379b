import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { inject } from 'vitest';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/core/config';
import { newId } from '../../src/core/ids';
import { createLogger } from '../../src/core/logger';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../src/local/runtime';

/**
 * The real local runtime (same composition as `npm start`) served on a real loopback socket, against the test run's
 * DynamoDB Local with a table of its own.
 */
export interface LocalServer {
  baseUrl: string;
  runtime: LocalRuntime;
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startLocalServer(
  env: Record<string, string> = {},
  options: Pick<LocalRuntimeOptions, 'drafter'> = {},
): Promise<LocalServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-e2e-'));
  const config = loadConfig({
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    DYNAMODB_TABLE: `vetline-e2e-${newId('evt').slice(4).toLowerCase()}`,
    VETLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const runtime = await startLocalRuntime(config, { logger: createLogger(config.logLevel), ...options });
  const app = createApp(runtime.services);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    runtime,
    fetch: (pathname, init) => fetch(`${baseUrl}${pathname}`, init),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
