import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../src/core/ids';
import { type FakeOpenAi, groundedDraftResponder, startFakeOpenAi } from '../support/fake-openai-server';
import { bearer, resumeForm, waitForStatus } from '../support/http';
import { repoRoot, seniorResumeText } from '../support/resumes';

// `npm start`'s entry point as a real process, killed with SIGKILL in the middle of a batch and started again:
// the uploads and screenings survive; the work that was queued is picked up at start, and the work that was in
// flight once its lease has run out.
let fake: FakeOpenAi;
let dataDir: string;
let port: number;
const table = `vetline-restart-${newId('evt').slice(4).toLowerCase()}`;
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startVetline(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/local/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      DYNAMODB_TABLE: table,
      VETLINE_DATA_DIR: dataDir,
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test-restart',
      OPENAI_MODEL: 'fake-slow',
      VETLINE_WORKER_CONCURRENCY: '2',
      // Work in flight at the kill is held by a lease the dead process no longer renews: the restarted one takes it
      // once the lease runs out (its sweep), not at start. Short here so the test does not wait a minute.
      VETLINE_LEASE_SECONDS: '3',
      VETLINE_SWEEP_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Vetline did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Vetline is listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Vetline exited with ${code}:\n${output}`)));
  });
  return child;
}

const api = (pathname: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${pathname}`, init);

beforeAll(async () => {
  // Each draft takes a while, so that the kill lands with work queued and in flight.
  fake = await startFakeOpenAi({
    responder: async (req) => ({ kind: 'delay', ms: 700, reply: await groundedDraftResponder(req) }),
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-restart-'));
  port = await freePort();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a restart in the middle of a batch', () => {
  it('keeps every upload and finishes every screening exactly once', async () => {
    const first = await startVetline();
    const tokens = JSON.parse(await readFile(path.join(dataDir, 'dev-tokens.json'), 'utf8')).tokens as Record<
      string,
      string
    >;
    const recruiter = tokens.recruiter ?? '';

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api('/v1/screenings', {
        method: 'POST',
        headers: bearer(recruiter),
        body: resumeForm(
          new TextEncoder().encode(`${seniorResumeText}\nCandidate number ${i}\n`),
          `c${i}.txt`,
        ),
      });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    // Let the first screening finish, then kill the process without warning.
    await waitForStatus(api, recruiter, ids[0] ?? '', ['drafted'], 20_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const callsBeforeRestart = fake.calls.length;

    await startVetline();
    // The dev tokens survive the restart too.
    expect(JSON.parse(await readFile(path.join(dataDir, 'dev-tokens.json'), 'utf8')).tokens.recruiter).toBe(
      recruiter,
    );
    for (const id of ids) {
      const done = await waitForStatus(api, recruiter, id, ['drafted', 'failed'], 30_000);
      expect(done.screening.status).toBe('drafted');
      expect(done.submissions).toHaveLength(1);
    }
    // Only work that was in flight at the kill (at most the worker concurrency) was drafted twice.
    expect(fake.calls.length).toBeGreaterThanOrEqual(ids.length);
    expect(fake.calls.length).toBeLessThanOrEqual(ids.length + 2);
    expect(callsBeforeRestart).toBeLessThan(ids.length);
  }, 90_000);
});
