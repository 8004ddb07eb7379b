import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the service reads, parsed once. Code takes a `Config`; nothing else reads `process.env`.
 * On AWS the same variables are set by the stack (see sst.config.ts); locally they come from the shell.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  VETLINE_DATA_DIR: z.string().default('.data'),
  VETLINE_PUBLIC_URL: z.url().optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  DYNAMODB_TABLE: z.string().min(3).default('vetline'),
  DYNAMODB_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  AWS_REGION: z.string().default('us-east-1'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().positive().default(4_000),
  VETLINE_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  VETLINE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  VETLINE_LEASE_SECONDS: z.coerce.number().int().min(1).default(300),
  VETLINE_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  VETLINE_SEED_DEV: bool.default(true),
  VETLINE_RUBRIC: z.string().default('senior-python-backend'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // AWS runtime (issue 6): set by `src/aws/resources.ts` from SST links on Lambda; endpoints point tests at loopback.
  VETLINE_STAGE: z.string().min(1).default('local'),
  VETLINE_BLOB_BUCKET: z.string().min(3).optional(),
  VETLINE_QUEUE_URL: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  VETLINE_PROMPTS_DIR: z.string().min(1).optional(),
  VETLINE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  VETLINE_REVIEW_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(10),
  VETLINE_AGEING_WARN_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  VETLINE_IDEMPOTENCY_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
});

export interface LlmConfig {
  apiKey: string;
  baseURL: string | undefined;
  model: string;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  maxOutputTokens: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | undefined;
  dynamo: { endpoint: string | undefined; table: string; region: string; localPort: number };
  /** `undefined` when no LLM is configured: the offline rules drafter is used. */
  llm: LlmConfig | undefined;
  maxUploadBytes: number;
  worker: { concurrency: number; leaseSeconds: number; maxAttempts: number };
  seedDev: boolean;
  rubricId: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The AWS runtime's settings (issue 6). Locally only `stage`, `retentionDays` and `ageing` matter. */
  aws: {
    stage: string;
    blobBucket: string | undefined;
    queueUrl: string | undefined;
    s3Endpoint: string | undefined;
    sqsEndpoint: string | undefined;
    promptsDir: string | undefined;
    /** How long the worker remembers an SQS message it processed (Powertools idempotency). */
    idempotencySeconds: number;
  };
  /** Days an upload and its text are kept (the S3 lifecycle rule on AWS). */
  retentionDays: number;
  /** Candidates are off the market in about ten days: screenings older than `warnDays` get reminders. */
  ageing: { windowDays: number; warnDays: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset: `FOO= npm start` should mean "no FOO".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // An OpenAI-compatible server (vLLM, Ollama, llama.cpp) may need no key, but the SDK wants one.
  const llmConfigured = e.OPENAI_API_KEY !== undefined || e.OPENAI_BASE_URL !== undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.VETLINE_DATA_DIR),
    publicUrl: e.VETLINE_PUBLIC_URL,
    dynamo: {
      endpoint: e.DYNAMODB_ENDPOINT,
      table: e.DYNAMODB_TABLE,
      region: e.AWS_REGION,
      localPort: e.DYNAMODB_LOCAL_PORT,
    },
    llm: llmConfigured
      ? {
          apiKey: e.OPENAI_API_KEY ?? 'not-needed',
          baseURL: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          temperature: e.LLM_TEMPERATURE,
          timeoutMs: e.LLM_TIMEOUT_MS,
          maxRetries: e.LLM_MAX_RETRIES,
          maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
        }
      : undefined,
    maxUploadBytes: e.VETLINE_MAX_UPLOAD_BYTES,
    worker: {
      concurrency: e.VETLINE_WORKER_CONCURRENCY,
      leaseSeconds: e.VETLINE_LEASE_SECONDS,
      maxAttempts: e.VETLINE_MAX_ATTEMPTS,
    },
    seedDev: e.VETLINE_SEED_DEV,
    rubricId: e.VETLINE_RUBRIC,
    logLevel: e.LOG_LEVEL,
    aws: {
      stage: e.VETLINE_STAGE,
      blobBucket: e.VETLINE_BLOB_BUCKET,
      queueUrl: e.VETLINE_QUEUE_URL,
      s3Endpoint: e.S3_ENDPOINT,
      sqsEndpoint: e.SQS_ENDPOINT,
      promptsDir: e.VETLINE_PROMPTS_DIR,
      idempotencySeconds: e.VETLINE_IDEMPOTENCY_SECONDS,
    },
    retentionDays: e.VETLINE_RETENTION_DAYS,
    ageing: { windowDays: e.VETLINE_REVIEW_WINDOW_DAYS, warnDays: e.VETLINE_AGEING_WARN_DAYS },
  };
}
