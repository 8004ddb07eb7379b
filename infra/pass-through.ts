import { type SettingName, settingNames } from '../src/core/config';

// No SST globals here (unlike settings.ts): tests/infra/stack.test.ts imports it, under the main tsconfig.

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
