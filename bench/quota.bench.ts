/**
 * `npm run bench:quota` — bulk screening under a provider quota.
 *
 * The fake OpenAI-compatible server enforces a token and request quota per sliding window, counting each request as
 * OpenAI does (prompt estimate + max_completion_tokens) and answering 429 with Retry-After past it. The local
 * runtime (DynamoDB Local, in-process queue, 8 workers, the real `openai` SDK) screens a batch of distinct resumes
 * with the client-side limiter set to the same quota. The window is 10 s instead of a minute (LLM_RATE_WINDOW_MS),
 * so the run takes about a minute; nothing else changes. Reported: the share of the quota used over the windows in
 * which work was waiting, the share of calls answered 429, and whether every screening was drafted exactly once.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/core/config';
import { freePort } from '../src/core/free-port';
import { newId } from '../src/core/ids';
import { createLogger } from '../src/core/logger';
import { startLocalRuntime } from '../src/local/runtime';
import { submitResume } from '../src/screening/intake';
import { materialOf, startFakeOpenAi } from '../tests/support/fake-openai-server';

const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const TOKENS_PER_WINDOW = Number(process.env.BENCH_TPM ?? 150_000);
const REQUESTS_PER_WINDOW = Number(process.env.BENCH_RPM ?? 60);
const SCREENINGS = Number(process.env.BENCH_SCREENINGS ?? 100);
const MAX_OUTPUT = 1_500;

const evalDir = path.join(import.meta.dirname, '../eval/resumes');
const texts = readdirSync(evalDir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(evalDir, f), 'utf8'));

const fake = await startFakeOpenAi({
  quota: { windowMs: WINDOW_MS, tokens: TOKENS_PER_WINDOW, requests: REQUESTS_PER_WINDOW },
});
const dataDir = await mkdtemp(path.join(tmpdir(), 'vetline-quota-bench-'));
const config = loadConfig({
  VETLINE_DATA_DIR: dataDir,
  DYNAMODB_LOCAL_PORT: String(await freePort()),
  OPENAI_BASE_URL: fake.baseURL,
  OPENAI_API_KEY: 'sk-bench-quota',
  OPENAI_MODEL: 'gpt-4.1-mini',
  LLM_MAX_OUTPUT_TOKENS: String(MAX_OUTPUT),
  LLM_MAX_RETRIES: '6',
  LLM_RPM: String(REQUESTS_PER_WINDOW),
  LLM_TPM: String(TOKENS_PER_WINDOW),
  LLM_RATE_WINDOW_MS: String(WINDOW_MS),
  VETLINE_WORKER_CONCURRENCY: '8',
  LOG_LEVEL: 'warn',
});
const runtime = await startLocalRuntime(config, { logger: createLogger('warn'), resume: false });
const { services } = runtime;

try {
  const orgId = newId('org');
  const now = new Date();
  await services.auth.createOrg(orgId, 'Quota bench', now);
  const user = {
    id: newId('usr'),
    orgId,
    email: 'r@example.test',
    name: 'r',
    role: 'recruiter' as const,
    createdAt: now.toISOString(),
  };
  await services.auth.createUser(user);
  const principal = await services.auth.resolveToken(await services.auth.issueToken(user, 'bench', now));
  if (!principal) throw new Error('no principal');

  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < SCREENINGS; i++) {
    const text = `${texts[i % texts.length]}\nReference number: QB-${String(i).padStart(4, '0')}\n`;
    const screening = await submitResume(services, principal, {
      bytes: new TextEncoder().encode(text),
      filename: `bench-${i}.txt`,
      candidate: { name: null, email: null, externalId: null, position: null },
      source: 'cli',
    });
    ids.push(screening.id);
  }

  const statuses = new Map<string, string>();
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    for (const id of ids) {
      if (statuses.get(id) === 'drafted' || statuses.get(id) === 'failed') continue;
      const s = await services.screenings.getScreening(orgId, id);
      if (s) statuses.set(id, s.status);
    }
    if ([...statuses.values()].filter((s) => s === 'drafted' || s === 'failed').length === ids.length) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const elapsed = (Date.now() - started) / 1000;

  const admitted = fake.quotaLog.admitted;
  const first = admitted[0]?.at ?? started;
  const last = admitted[admitted.length - 1]?.at ?? first;
  const fullWindows = Math.floor((last - first) / WINDOW_MS);
  const perWindow: number[] = [];
  for (let w = 0; w < fullWindows; w++) {
    const from = first + w * WINDOW_MS;
    perWindow.push(
      admitted.filter((e) => e.at >= from && e.at < from + WINDOW_MS).reduce((n, e) => n + e.tokens, 0),
    );
  }
  const used = perWindow.reduce((a, b) => a + b, 0) / Math.max(1, fullWindows * TOKENS_PER_WINDOW);
  const calls = fake.calls.length;
  const refused = fake.quotaLog.refused;
  const drafted = [...statuses.values()].filter((s) => s === 'drafted').length;
  const materials = new Set(fake.calls.map((c) => /QB-\d{4}/.exec(materialOf(c))?.[0]));
  const answeredCalls = calls - refused;

  const out = [
    `Bulk screening under a quota (${SCREENINGS} distinct text resumes, 8 workers, window ${WINDOW_MS / 1000} s, ${TOKENS_PER_WINDOW} tokens and ${REQUESTS_PER_WINDOW} requests per window, max_completion_tokens ${MAX_OUTPUT}):`,
    '',
    '| Measure | Value |',
    '| --- | ---: |',
    `| Share of the token quota used (${fullWindows} full windows while work was waiting) | ${(100 * used).toFixed(1)}% |`,
    `| Per window | ${perWindow.map((t) => `${((100 * t) / TOKENS_PER_WINDOW).toFixed(1)}%`).join(', ')} |`,
    `| Calls answered 429 | ${refused} of ${calls} (${((100 * refused) / Math.max(1, calls)).toFixed(2)}%) |`,
    `| Screenings drafted | ${drafted} of ${SCREENINGS} |`,
    `| LLM calls answered, distinct resumes drafted | ${answeredCalls}, ${materials.size} |`,
    `| Wall time | ${elapsed.toFixed(1)} s |`,
    '',
  ].join('\n');
  process.stdout.write(out);
  writeFileSync(path.join(import.meta.dirname, 'results-quota.md'), out);
  if (drafted !== SCREENINGS || answeredCalls !== SCREENINGS || materials.size !== SCREENINGS)
    process.exitCode = 1;
} finally {
  await runtime.stop();
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
}
