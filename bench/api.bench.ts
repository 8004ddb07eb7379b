/**
 * `npm run bench` — API overhead with the LLM excluded.
 *
 * Measures p50/p99 of `POST /v1/screenings` (a text resume and a real PDF) and `GET /v1/screenings/{id}` over a real
 * loopback socket against DynamoDB Local, beside a bare Hono handler that makes the same DynamoDB calls in the same run
 * (token lookup + transactional write, token lookup + query). The difference is what Vetline adds on top of its
 * DynamoDB calls: multipart parsing, type detection, extraction, blob writes, validation. The worker is not running
 * while requests are timed, so drafting does not compete for the two cores.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
import { createDocumentClient, ensureTable } from '../src/store/dynamo';
import { keys } from '../src/store/table';
import { corpusDir } from '../tests/support/resumes';
import { countDynamoCalls, type LatencyRow, latencyTable, summarise } from './stats';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 300);
const warmup = 30;

type Row = LatencyRow;

async function measure(
  name: string,
  calls: { value: number },
  run: (i: number) => Promise<void>,
): Promise<Row> {
  for (let i = 0; i < warmup; i++) await run(-1 - i);
  const times: number[] = [];
  const before = calls.value;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  const dynamoCalls = (calls.value - before) / iterations;
  return { name, ...summarise(times), dynamoCalls };
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-bench-'));
  const config = loadConfig({
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_TABLE: 'vetline-bench',
    VETLINE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const db = createDocumentClient({ endpoint: dynamo.endpoint, region: config.dynamo.region });
  const calls = countDynamoCalls(db);
  await ensureTable(db, config.dynamo.table);
  const queue = new InProcessQueue({ concurrency: 1 }); // never started: requests only
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
  const orgId = newId('org');
  const now = new Date();
  await services.auth.createOrg(orgId, 'bench', now);
  const user = {
    id: newId('usr'),
    orgId,
    email: 'r@bench',
    name: 'r',
    role: 'recruiter' as const,
    createdAt: now.toISOString(),
  };
  await services.auth.createUser(user);
  const token = await services.auth.issueToken(user, 'bench', now);

  // The bare handler: the same DynamoDB calls, none of Vetline's work around them.
  const bare = new Hono();
  bare.post('/v1/screenings', async (c) => {
    const principal = await services.auth.resolveToken((c.req.header('authorization') ?? '').slice(7));
    if (!principal) return c.json({}, 401);
    // The organisation's settings, which Vetline reads for the rubric an upload without one is screened with.
    await db.send(new GetCommand({ TableName: config.dynamo.table, Key: keys.org(orgId) }));
    const id = newId('scr');
    const sub = newId('sub');
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: config.dynamo.table,
              Item: { ...keys.screening(orgId, id), id, status: 'queued' },
            },
          },
          { Put: { TableName: config.dynamo.table, Item: { ...keys.submission(orgId, id, sub), id: sub } } },
          // The candidate's index item, which Vetline writes in the same transaction.
          {
            Put: {
              TableName: config.dynamo.table,
              Item: { ...keys.candidateScreening(orgId, newId('cand'), id), screeningId: id },
            },
          },
        ],
      }),
    );
    return c.json({ id }, 202);
  });
  bare.get('/v1/screenings/:id', async (c) => {
    const principal = await services.auth.resolveToken((c.req.header('authorization') ?? '').slice(7));
    if (!principal) return c.json({}, 401);
    const out = await db.send(
      new QueryCommand({
        TableName: config.dynamo.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.screening(orgId, c.req.param('id')).PK },
      }),
    );
    return c.json({ items: out.Items ?? [] });
  });

  const app = createApp(services);
  const vetPort = await freePort();
  const barePort = await freePort();
  const servers = [
    serve({ fetch: app.fetch, port: vetPort, hostname: '127.0.0.1' }),
    serve({ fetch: bare.fetch, port: barePort, hostname: '127.0.0.1' }),
  ];
  const auth = { authorization: `Bearer ${token}` };
  const textResume = readFileSync(path.join(import.meta.dirname, '../tests/fixtures/senior-resume.txt'));
  const corpus = path.join(corpusDir, 'openresume-resume.pdf');
  const pdfResume = readFileSync(corpus);
  const form = (bytes: Buffer, name: string) => {
    const f = new FormData();
    f.set('resume', new File([bytes], name));
    f.set('candidateName', 'Bench Candidate');
    return f;
  };
  const post = async (port: number, bytes: Buffer, name: string): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/screenings`, {
      method: 'POST',
      headers: auth,
      body: form(bytes, name),
    });
    if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const get = async (port: number, id: string): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/screenings/${id}`, { headers: auth });
    if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
    await res.arrayBuffer();
  };

  const vetIds: string[] = [];
  const bareIds: string[] = [];
  const rows: Row[] = [];
  rows.push(
    await measure('POST /v1/screenings (text resume), Vetline', calls, async () => {
      vetIds.push(await post(vetPort, textResume, 'resume.txt'));
    }),
  );
  rows.push(
    await measure('POST /v1/screenings, bare Hono + same DynamoDB calls', calls, async () => {
      bareIds.push(await post(barePort, textResume, 'resume.txt'));
    }),
  );
  rows.push(
    await measure('POST /v1/screenings (1-page PDF, corpus), Vetline', calls, async () => {
      await post(vetPort, pdfResume, 'resume.pdf');
    }),
  );
  rows.push(
    await measure('GET /v1/screenings/{id}, Vetline', calls, async (i) => {
      await get(vetPort, vetIds[Math.abs(i) % vetIds.length] ?? '');
    }),
  );
  rows.push(
    await measure('GET /v1/screenings/{id}, bare Hono + same DynamoDB calls', calls, async (i) => {
      await get(barePort, bareIds[Math.abs(i) % bareIds.length] ?? '');
    }),
  );

  for (const s of servers) s.close();
  db.destroy();
  await dynamo.stop();
  await rm(dataDir, { recursive: true, force: true });

  const table = latencyTable('Request', 'request', rows);
  process.stdout.write(
    `\nAPI overhead, ${iterations} sequential requests each after ${warmup} warm-up, Node ${process.version}\n\n${table}\n`,
  );
  await writeFile(path.join(import.meta.dirname, 'results-api.md'), `${table}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
