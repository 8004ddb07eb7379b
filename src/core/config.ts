import path from 'node:path';
import { z } from 'zod';
import { type PriceTable, PriceTableError, parsePriceTable } from '../drafting/prices';

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
  VETLINE_LEASE_SECONDS: z.coerce.number().int().min(1).default(60),
  VETLINE_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(3),
  VETLINE_SEED_DEV: bool.default(true),
  VETLINE_RUBRIC: z.string().default('senior-python-backend'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // ---- Evidence-grounded drafting: samples, provider discipline, cost, draft cache (issue 3) ----
  LLM_SAMPLES: z.coerce.number().int().min(1).max(7).default(1),
  LLM_UNSTABLE_SPREAD: z.coerce.number().int().min(1).max(4).default(2),
  LLM_RPM: z.coerce.number().int().min(0).default(0),
  LLM_TPM: z.coerce.number().int().min(0).default(0),
  LLM_RATE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  LLM_RETRY_BASE_MS: z.coerce.number().int().min(1).default(500),
  LLM_RETRY_MAX_WAIT_MS: z.coerce.number().int().min(1).default(30_000),
  LLM_FALLBACK_OFFLINE: bool.default(false),
  LLM_PRICES: z.string().optional(),
  VETLINE_DRAFT_CACHE: bool.default(true),
  VETLINE_DRAFT_CACHE_TTL_HOURS: z.coerce.number().positive().default(168),
  VETLINE_SESSION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(12),
  VETLINE_SIGN_IN_LINK_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(24),
  // ATS webhooks (src/webhooks) and the SSRF-guarded download client (src/net).
  VETLINE_WEBHOOK_DEDUPE_DAYS: z.coerce.number().int().min(1).max(400).default(30),
  VETLINE_WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(60).default(86_400),
  VETLINE_WEBHOOK_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(120),
  VETLINE_WEBHOOK_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  VETLINE_DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  VETLINE_DOWNLOAD_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  VETLINE_DOWNLOAD_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(3),
  VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP: bool.default(false),
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
  // ---- OpenAI-compatible servers: Azure OpenAI, where the key goes, structured-output mode (endpoint compat) ----
  LLM_AZURE_API_VERSION: z.string().min(1).optional(),
  LLM_API_KEY_HEADER: z.enum(['authorization', 'api-key']).default('authorization'),
  LLM_STRUCTURED_OUTPUT: z.enum(['auto', 'json_schema', 'json_object', 'none']).default('auto'),
  // Take-home submissions (src/takehome).
  VETLINE_TAKE_HOME_RUBRIC: z.string().default('senior-python-take-home'),
  VETLINE_MAX_TAKE_HOME_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  VETLINE_TAKE_HOME_TOKEN_BUDGET: z.coerce.number().int().min(2_000).default(24_000),
  // The sweep (src/screening/sweep.ts): screenings whose job was lost, or whose worker died, are queued again.
  VETLINE_SWEEP_AFTER_SECONDS: z.coerce.number().int().min(1).default(180),
  VETLINE_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  VETLINE_SWEEP_MAX_RESENDS: z.coerce.number().int().min(1).default(5),
});

/** Every variable the config reads: the stack derives what it passes to the functions from it (infra/settings.ts). */
export const settingNames = Object.keys(EnvSchema.shape) as Array<keyof typeof EnvSchema.shape>;
export type SettingName = (typeof settingNames)[number];

export interface LlmConfig {
  apiKey: string;
  baseURL: string | undefined;
  model: string;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  maxOutputTokens: number;
  /** Client-side provider discipline; absent means no client-side limit and the defaults below. */
  limits?: LlmLimits;
  /** How to talk to servers that differ from OpenAI; absent means OpenAI's way, stepping down when refused. */
  compat?: LlmCompat;
}

/** See src/drafting/llm-client.ts and request-compat.ts. */
export interface LlmCompat {
  /** Set: Azure OpenAI's deployment API through the SDK's `AzureOpenAI` client, with this `api-version`. */
  azureApiVersion: string | undefined;
  /** Where the key goes: `Authorization: Bearer` or an `api-key` header (Azure, many gateways). */
  apiKeyHeader: 'authorization' | 'api-key';
  /** `auto`: JSON schema, stepping down to JSON mode, then plain text, when the server refuses; else pinned. */
  structuredOutput: 'auto' | 'json_schema' | 'json_object' | 'none';
}

/** Client-side request and token budgets per window (0 = no limit), and how retries wait (see rate-limiter.ts). */
export interface LlmLimits {
  requestsPerWindow: number;
  tokensPerWindow: number;
  windowMs: number;
  retryBaseMs: number;
  retryMaxWaitMs: number;
}

/** What the pipeline does around the drafter: samples, fallback, prices, draft cache. */
export interface DraftingConfig {
  samples: number;
  /** A competency whose verified levels across samples differ by at least this much is flagged `unstable_score`. */
  unstableSpread: number;
  fallbackOffline: boolean;
  /** USD per million tokens, by model-name prefix; see src/drafting/prices.ts for the format and defaults. */
  prices: PriceTable;
  draftCache: { enabled: boolean; ttlSeconds: number };
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
    /** How long the worker remembers an SQS message it processed (Powertools idempotency). */
    idempotencySeconds: number;
  };
  /** Days an upload and its text are kept (the S3 lifecycle rule on AWS). */
  retentionDays: number;
  /** Candidates are off the market in about ten days: screenings older than `warnDays` get reminders. */
  ageing: { windowDays: number; warnDays: number };
  drafting: DraftingConfig;
  /** Web sessions end this long after sign-in; admin-made sign-in links expire after `signInLinkSeconds`. */
  web: { sessionSeconds: number; signInLinkSeconds: number };
  webhooks: WebhookConfig;
  download: DownloadConfig;
  /** Take-homes: the rubric they are reviewed against, the largest archive accepted, the model's reading budget. */
  takeHome: { rubricId: string; maxUploadBytes: number; tokenBudget: number };
  /**
   * How long a queued screening waits before the sweep sends its job again; how often `npm start` sweeps; how many
   * times the sweep re-sends one screening's job before it ends the screening `failed: job_lost`.
   */
  sweep: { afterSeconds: number; intervalSeconds: number; maxResends: number };
}

export interface WebhookConfig {
  /** How long delivery, application and replay records live (the table's TTL): longer than any vendor's retries. */
  dedupeDays: number;
  /** Lever deliveries whose `triggeredAt` is older than this are refused as replays. */
  maxAgeSeconds: number;
  /** How long a delivery being processed is held before a retry of it may take it over. */
  leaseSeconds: number;
  /** How long a concurrent copy of a delivery waits for the first copy's outcome before answering 503. */
  waitMs: number;
}

export interface DownloadConfig {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxRedirects: number;
  /** Tests only: allows `http:` and loopback addresses (never private or link-local ones). Off by default. */
  unsafeAllowLoopbackHttp: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function readPrices(raw: string | undefined): PriceTable {
  try {
    return parsePriceTable(raw);
  } catch (error) {
    if (error instanceof PriceTableError)
      throw new ConfigError(`Invalid configuration: LLM_PRICES: ${error.message}`);
    throw error;
  }
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
  if (e.VETLINE_WEBHOOK_MAX_AGE_SECONDS >= e.VETLINE_WEBHOOK_DEDUPE_DAYS * 86_400) {
    // A replayed Lever delivery must meet either its replay record or the age limit; never neither.
    throw new ConfigError(
      'Invalid configuration: VETLINE_WEBHOOK_MAX_AGE_SECONDS must be shorter than VETLINE_WEBHOOK_DEDUPE_DAYS.',
    );
  }
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
          limits: {
            requestsPerWindow: e.LLM_RPM,
            tokensPerWindow: e.LLM_TPM,
            windowMs: e.LLM_RATE_WINDOW_MS,
            retryBaseMs: e.LLM_RETRY_BASE_MS,
            retryMaxWaitMs: e.LLM_RETRY_MAX_WAIT_MS,
          },
          compat: {
            azureApiVersion: e.LLM_AZURE_API_VERSION,
            apiKeyHeader: e.LLM_API_KEY_HEADER,
            structuredOutput: e.LLM_STRUCTURED_OUTPUT,
          },
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
    drafting: {
      samples: e.LLM_SAMPLES,
      unstableSpread: e.LLM_UNSTABLE_SPREAD,
      fallbackOffline: e.LLM_FALLBACK_OFFLINE,
      prices: readPrices(e.LLM_PRICES),
      draftCache: {
        enabled: e.VETLINE_DRAFT_CACHE,
        ttlSeconds: Math.round(e.VETLINE_DRAFT_CACHE_TTL_HOURS * 3600),
      },
    },
    web: {
      sessionSeconds: Math.round(e.VETLINE_SESSION_HOURS * 3600),
      signInLinkSeconds: Math.round(e.VETLINE_SIGN_IN_LINK_HOURS * 3600),
    },
    webhooks: {
      dedupeDays: e.VETLINE_WEBHOOK_DEDUPE_DAYS,
      maxAgeSeconds: e.VETLINE_WEBHOOK_MAX_AGE_SECONDS,
      leaseSeconds: e.VETLINE_WEBHOOK_LEASE_SECONDS,
      waitMs: e.VETLINE_WEBHOOK_WAIT_MS,
    },
    download: {
      timeoutMs: e.VETLINE_DOWNLOAD_TIMEOUT_MS,
      connectTimeoutMs: e.VETLINE_DOWNLOAD_CONNECT_TIMEOUT_MS,
      maxRedirects: e.VETLINE_DOWNLOAD_MAX_REDIRECTS,
      unsafeAllowLoopbackHttp: e.VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP,
    },
    aws: {
      stage: e.VETLINE_STAGE,
      blobBucket: e.VETLINE_BLOB_BUCKET,
      queueUrl: e.VETLINE_QUEUE_URL,
      s3Endpoint: e.S3_ENDPOINT,
      sqsEndpoint: e.SQS_ENDPOINT,
      idempotencySeconds: e.VETLINE_IDEMPOTENCY_SECONDS,
    },
    retentionDays: e.VETLINE_RETENTION_DAYS,
    ageing: { windowDays: e.VETLINE_REVIEW_WINDOW_DAYS, warnDays: e.VETLINE_AGEING_WARN_DAYS },
    takeHome: {
      rubricId: e.VETLINE_TAKE_HOME_RUBRIC,
      maxUploadBytes: e.VETLINE_MAX_TAKE_HOME_BYTES,
      tokenBudget: e.VETLINE_TAKE_HOME_TOKEN_BUDGET,
    },
    sweep: {
      afterSeconds: e.VETLINE_SWEEP_AFTER_SECONDS,
      intervalSeconds: e.VETLINE_SWEEP_INTERVAL_SECONDS,
      maxResends: e.VETLINE_SWEEP_MAX_RESENDS,
    },
  };
}
