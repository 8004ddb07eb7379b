/**
 * `npm run bench` (or `npm run bench -- webhooks`) — webhook acceptance latency.
 *
 * Times a signed ATS delivery from the moment it is sent until Vetline answers, over a real loopback socket against
 * DynamoDB Local: the signature check on the raw body, the dedupe writes, the resume download from a loopback file
 * server (or the fake Lever / Ashby APIs on loopback), intake (typing, blob writes, text extraction) and the
 * screening's creation. The offline drafter is configured; the worker is paused while requests are timed (as in the
 * API bench), except in the row that says it runs, where screenings are drafted while the next deliveries arrive.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/api/app';
import { DiskBlobStore } from '../src/blob/disk-blob-store';
import { loadConfig } from '../src/core/config';
import { freePort } from '../src/core/free-port';
import { newId } from '../src/core/ids';
import { createLogger } from '../src/core/logger';
import type { Services } from '../src/core/services';
import { createTableStores } from '../src/core/table-stores';
import { OfflineDrafter } from '../src/drafting/offline-drafter';
import { extractDocument } from '../src/extraction/extract';
import { startDynamoDbLocal } from '../src/local/dynamodb-local';
import { InProcessQueue } from '../src/queue/in-process-queue';
import { processScreeningJob } from '../src/screening/process-screening';
import { createDocumentClient, ensureTable } from '../src/store/dynamo';
import { hmacSha256Hex, signatureMatches } from '../src/webhooks/signature';
import { startAttachmentServer } from '../tests/support/attachment-server';
import { startFakeAshby, startFakeLever } from '../tests/support/fake-ats-servers';
import {
  ashbyHeaders,
  ashbySubmit,
  greenhouseApplication,
  greenhouseHeaders,
  leverDelivery,
  secret,
} from '../tests/support/webhook-payloads';
import { countDynamoCalls, type LatencyRow, latencyTable, summarise } from './stats';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200);
const warmup = 50;

type Row = LatencyRow;

const row = (name: string, times: number[], dynamoCalls: number): Row => ({
  name,
  ...summarise(times),
  dynamoCalls,
});

async function measure(name: string, calls: { value: number }, run: () => Promise<void>): Promise<Row> {
  const times: number[] = [];
  const before = calls.value;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return row(name, times, (calls.value - before) / iterations);
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-bench-webhooks-'));
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_TABLE: 'vetline-bench-webhooks',
    VETLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP: 'true', // the attachment server and fake APIs are on loopback
  });
  const db = createDocumentClient({ endpoint: dynamo.endpoint, region: config.dynamo.region });
  const calls = countDynamoCalls(db);
  await ensureTable(db, config.dynamo.table);
  const queue = new InProcessQueue({ concurrency: 1 }); // started only for the last row
  const services: Services = {
    config,
    logger: createLogger('silent'),
    ...createTableStores(db, config.dynamo.table, config.drafting),
    blobs: new DiskBlobStore(path.join(dataDir, 'blobs')),
    queue,
    drafter: new OfflineDrafter(),
    extract: extractDocument,
    now: () => new Date(),
  };

  const files = await startAttachmentServer();
  const apiKey = 'bench-api-key-0123456789';
  const lever = await startFakeLever(apiKey);
  const ashby = await startFakeAshby(apiKey);
  const orgId = newId('org');
  await services.auth.createOrg(orgId, 'bench', new Date());
  const app = createApp(services);
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const admin = {
    id: newId('usr'),
    orgId,
    email: 'a@bench',
    name: 'a',
    role: 'admin' as const,
    createdAt: new Date().toISOString(),
  };
  await services.auth.createUser(admin);
  const adminToken = await services.auth.issueToken(admin, 'bench', new Date());
  const keys = { greenhouse: secret(), lever: secret(), ashby: secret() };
  const hosts = ['127.0.0.1'];
  const configure = async (vendor: string, settings: Record<string, unknown>) => {
    const res = await fetch(`${base}/v1/integrations/${vendor}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (res.status !== 200) throw new Error(`configure ${vendor}: ${res.status} ${await res.text()}`);
  };
  await configure('greenhouse', { webhookSecret: keys.greenhouse, allowedDownloadHosts: hosts });
  await configure('lever', {
    webhookSecret: keys.lever,
    apiKey,
    apiBaseUrl: `${lever.baseUrl}/v1`,
    allowedDownloadHosts: hosts,
  });
  await configure('ashby', {
    webhookSecret: keys.ashby,
    apiKey,
    apiBaseUrl: ashby.baseUrl,
    allowedDownloadHosts: hosts,
  });

  const textResume = new Uint8Array(
    readFileSync(path.join(import.meta.dirname, '../tests/fixtures/senior-resume.txt')),
  );
  const pdfResume = new Uint8Array(
    readFileSync(path.resolve(import.meta.dirname, '../../shared/corpus/resumes/openresume-resume.pdf')),
  );
  const textUrl = files.file('/bench/resume.txt', textResume, 'text/plain');
  const pdfUrl = files.file('/bench/resume.pdf', pdfResume, 'application/pdf');

  // The floor any receiver pays: read the raw body, load the organisation's secret (one GetItem), check the HMAC.
  const bare = new Hono();
  bare.post('/webhooks/:vendor/:orgId', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const settings = await services.integrations.get(c.req.param('orgId'), 'greenhouse');
    const provided = (c.req.header('signature') ?? '').slice('sha256 '.length);
    const ok =
      settings?.webhookSecret && signatureMatches(hmacSha256Hex(settings.webhookSecret, raw), provided);
    return c.json({ received: true }, ok ? 200 : 401);
  });
  const barePort = await freePort();
  const bareServer = serve({ fetch: bare.fetch, port: barePort, hostname: '127.0.0.1' });

  const deliver = async (
    vendor: string,
    body: string,
    headers: Record<string, string>,
    expect: number,
    target = base,
  ) => {
    const res = await fetch(`${target}/webhooks/${vendor}/${orgId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    if (res.status !== expect) throw new Error(`${vendor} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };
  let applicationId = 1_000;
  const greenhouseNew = (url: string) => async () => {
    const body = JSON.stringify(greenhouseApplication({ applicationId: ++applicationId, resumeUrl: url }));
    await deliver('greenhouse', body, greenhouseHeaders(keys.greenhouse, body), 200);
  };

  const repeated = JSON.stringify(greenhouseApplication({ applicationId: 1, resumeUrl: textUrl }));
  const repeatedHeaders = greenhouseHeaders(keys.greenhouse, repeated, 'evt-bench-repeat');
  await deliver('greenhouse', repeated, repeatedHeaders, 200);
  const scenarios: Array<{ name: string; run: () => Promise<void> }> = [
    {
      name: 'Bare Hono: raw body + 1 GetItem + HMAC check (the floor)',
      run: async () => {
        const body = JSON.stringify(greenhouseApplication({ applicationId: 7, resumeUrl: textUrl }));
        await deliver(
          'greenhouse',
          body,
          greenhouseHeaders(keys.greenhouse, body),
          200,
          `http://127.0.0.1:${barePort}`,
        );
      },
    },
    { name: 'Greenhouse new application, text resume', run: greenhouseNew(textUrl) },
    {
      name: 'Greenhouse redelivery (duplicate, from the record)',
      run: () => deliver('greenhouse', repeated, repeatedHeaders, 200),
    },
    {
      name: 'Greenhouse forged signature (401)',
      run: () => deliver('greenhouse', repeated, greenhouseHeaders(keys.lever, repeated), 401),
    },
    { name: 'Greenhouse new application, 1-page PDF (corpus)', run: greenhouseNew(pdfUrl) },
    {
      name: 'Lever applicationCreated (3 API calls + download)',
      run: async () => {
        const opportunityId = randomUUID();
        // The opportunity gives the candidate's name and email, for blind screening.
        lever.setOpportunity(opportunityId, {
          id: opportunityId,
          name: 'Avery Quinn',
          emails: [`avery.${opportunityId.slice(0, 8)}@example.com`],
        });
        lever.setResumes(opportunityId, [{ id: 'r1', name: 'resume.txt', createdAt: 1, bytes: textResume }]);
        await deliver('lever', leverDelivery(keys.lever, { opportunityId }), {}, 200);
      },
    },
    {
      name: 'Ashby applicationSubmit (2 API calls + download)',
      run: async () => {
        const candidateId = randomUUID();
        ashby.setCandidate(candidateId, { handle: `h-${candidateId}`, name: 'resume.txt', url: textUrl });
        const body = JSON.stringify(
          ashbySubmit({ webhookActionId: randomUUID(), applicationId: randomUUID(), candidateId }),
        );
        await deliver('ashby', body, ashbyHeaders(keys.ashby, body), 200);
      },
    },
  ];

  // Warm every path first (Node's JIT and DynamoDB Local's JVM), so no row pays for being measured first.
  for (const scenario of scenarios) for (let i = 0; i < warmup; i++) await scenario.run();
  // Round-robin, one delivery of each row in turn: on a shared machine every row sees the same background load.
  const samples = scenarios.map(() => ({ times: [] as number[], dynamoCalls: 0 }));
  for (let i = 0; i < iterations; i++) {
    for (const [index, scenario] of scenarios.entries()) {
      const sample = samples[index] as (typeof samples)[number];
      const before = calls.value;
      const t0 = performance.now();
      await scenario.run();
      sample.times.push(performance.now() - t0);
      sample.dynamoCalls += calls.value - before;
    }
  }
  const rows: Row[] = scenarios.map((scenario, index) => {
    const { times, dynamoCalls } = samples[index] as (typeof samples)[number];
    return row(scenario.name, times, dynamoCalls / iterations);
  });
  queue.start((job) => processScreeningJob(services, job));
  rows.push(
    await measure('Greenhouse new application, text resume, worker drafting', calls, greenhouseNew(textUrl)),
  );
  await queue.idle();
  await queue.stop();

  server.close();
  bareServer.close();
  await Promise.all([files.close(), lever.close(), ashby.close()]);
  db.destroy();
  await dynamo.stop();
  await rm(dataDir, { recursive: true, force: true });

  const table = latencyTable('Delivery', 'delivery', rows);
  process.stdout.write(
    `\nWebhook acceptance, ${iterations} sequential deliveries per row (rows interleaved) after ${warmup} warm-up deliveries of each, Node ${process.version}\n\n${table}\n`,
  );
  await writeFile(path.join(import.meta.dirname, 'results-webhooks.md'), `${table}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
