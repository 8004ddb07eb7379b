import { workerTiming } from '../src/aws/worker-timing';
import { loadConfig } from '../src/core/config';
import { passThrough } from './pass-through';

/** SQS records per worker invocation (they run side by side). */
const WORKER_BATCH_SIZE = 4;

/**
 * Deploy-time settings, read once from the deploying shell through the application's own config parser, so the
 * stack and the code agree on names and defaults (`VETLINE_RETENTION_DAYS=90 npx sst deploy --stage production`).
 */
export function stackSettings() {
  const config = loadConfig(process.env);
  const production = $app.stage === 'production';
  const timing = workerTimingFor(process.env);
  return {
    production,
    config,
    /** Worked out from the LLM settings (src/aws/worker-timing.ts has the arithmetic); at most Lambda's 900 s. */
    workerTimeoutSeconds: timing.timeoutSeconds,
    workerBatchSize: WORKER_BATCH_SIZE,
    /** AWS's rule for an SQS event source: at least six times the function's timeout. */
    visibilityTimeoutSeconds: 6 * timing.timeoutSeconds,
    /**
     * One more delivery than the worker's own attempt limit: the last delivery finds `attempts > maxAttempts` and
     * records `failed: too_many_attempts`, so only messages the worker could not even record (a malformed body, a
     * store that stayed unreachable) reach the dead-letter queue.
     */
    maxReceiveCount: config.worker.maxAttempts + 1,
    retentionDays: config.retentionDays,
  };
}

export type StackSettings = ReturnType<typeof stackSettings>;

/**
 * The worker's timing from the LLM settings in `env`. The key is an SST secret, not in the shell, so the LLM block is
 * parsed here with a stand-in key (never passed on): the timeouts, retries, samples and limits are what count.
 */
export function workerTimingFor(env: Record<string, string | undefined>) {
  const llm = loadConfig({ ...env, OPENAI_API_KEY: 'deploy-time-sizing-only' }).llm;
  if (!llm) throw new Error('the LLM settings did not parse with a key set: cannot size the worker');
  const config = loadConfig(env);
  const limits = llm.limits;
  return workerTiming({
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    retryMaxWaitMs: limits?.retryMaxWaitMs ?? 30_000,
    maxOutputTokens: llm.maxOutputTokens,
    samples: config.drafting.samples,
    requestsPerWindow: limits?.requestsPerWindow ?? 0,
    tokensPerWindow: limits?.tokensPerWindow ?? 0,
    windowMs: limits?.windowMs ?? 60_000,
    takeHomeTokenBudget: config.takeHome.tokenBudget,
    batchSize: WORKER_BATCH_SIZE,
  });
}

export function functionEnvironment(settings: StackSettings): Record<string, string> {
  const env: Record<string, string> = {
    VETLINE_RETENTION_DAYS: String(settings.retentionDays),
    // The lease outlasts the worker's timeout, so a duplicate delivery never takes a screening from a live worker.
    VETLINE_LEASE_SECONDS: String(settings.workerTimeoutSeconds + 30),
    VETLINE_SEED_DEV: 'false',
    POWERTOOLS_METRICS_NAMESPACE: 'Vetline',
  };
  for (const name of passThrough) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}
