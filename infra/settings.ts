import { loadConfig } from '../src/core/config';

/**
 * Deploy-time settings, read once from the deploying shell through the application's own config parser, so the
 * stack and the code agree on names and defaults (`VETLINE_RETENTION_DAYS=90 npx sst deploy --stage production`).
 */
export function stackSettings() {
  const config = loadConfig(process.env);
  const production = $app.stage === 'production';
  const workerTimeoutSeconds = 360;
  return {
    production,
    config,
    /** The worker may draft with retries (LLM_TIMEOUT_MS x (LLM_MAX_RETRIES + 1)) plus extraction: six minutes. */
    workerTimeoutSeconds,
    /** AWS's rule for an SQS event source: at least six times the function's timeout. */
    visibilityTimeoutSeconds: 6 * workerTimeoutSeconds,
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

/** Settings passed through from the deploying shell to the functions when set (not secrets: those are SST secrets). */
const passThrough = [
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'LLM_TEMPERATURE',
  'LLM_TIMEOUT_MS',
  'LLM_MAX_RETRIES',
  'LLM_MAX_OUTPUT_TOKENS',
  'VETLINE_RUBRIC',
  'VETLINE_REVIEW_WINDOW_DAYS',
  'VETLINE_AGEING_WARN_DAYS',
  'VETLINE_MAX_ATTEMPTS',
  'VETLINE_IDEMPOTENCY_SECONDS',
  'LOG_LEVEL',
] as const;

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
