import { workerTiming } from '../src/aws/worker-timing';
import { type Config, loadConfig, type SettingName, settingNames } from '../src/core/config';

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
  const llm = loadConfig({ ...env, OPENAI_API_KEY: 'deploy-time-sizing-only' }).llm as NonNullable<
    Config['llm']
  >;
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

/**
 * The settings the functions do not take from the deploying shell, each with the reason. Every other variable
 * `src/core/config.ts` reads is passed through when set, so a setting added there reaches Lambda without an edit
 * here (tests/infra/stack.test.ts checks that each one is either passed or named here).
 */
export const notPassedThrough = {
  PORT: 'the local HTTP server only',
  HOST: 'the local HTTP server only',
  VETLINE_DATA_DIR: 'the local data folder (DynamoDB Local, blobs on disk)',
  DYNAMODB_LOCAL_PORT: 'the embedded DynamoDB Local only',
  DYNAMODB_ENDPOINT: 'local and test endpoints; the functions use the region’s',
  S3_ENDPOINT: 'local and test endpoints; the functions use the region’s',
  SQS_ENDPOINT: 'local and test endpoints; the functions use the region’s',
  AWS_REGION: 'set by Lambda itself (a reserved variable)',
  DYNAMODB_TABLE: 'from the Table link',
  VETLINE_BLOB_BUCKET: 'from the Uploads link',
  VETLINE_QUEUE_URL: 'from the Jobs link',
  VETLINE_STAGE: 'from the stage (the App link)',
  OPENAI_API_KEY: 'a secret: the OpenAiApiKey SST secret, never a plain environment variable',
  VETLINE_SEED_DEV: 'set by the stack: no dev users on AWS',
  VETLINE_LEASE_SECONDS: 'set by the stack from the worker timeout',
  VETLINE_RETENTION_DAYS: 'set by the stack (the same value; it is also the bucket’s lifecycle rule)',
  VETLINE_PROMPTS_DIR: 'the bundles embed prompts/ at build time',
  VETLINE_WORKER_CONCURRENCY: 'the in-process queue; on AWS, the batch size and Lambda’s scaling',
  VETLINE_SWEEP_INTERVAL_SECONDS: '`npm start` only; on AWS the sweep’s schedule is the cron’s',
  VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP: 'tests only: never on AWS',
} as const satisfies Partial<Record<SettingName, string>>;

/** Settings passed through from the deploying shell to the functions when set (not secrets: those are SST secrets). */
export const passThrough: readonly SettingName[] = settingNames.filter((name) => !(name in notPassedThrough));

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
