import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notPassedThrough, passThrough } from '../../infra/pass-through';
import { linkNames, UNSET_SECRET } from '../../src/aws/resources';
import { loadConfig, settingNames } from '../../src/core/config';
import { tableDefinition, ttlAttribute } from '../../src/store/table';
import { repoRoot } from '../support/resumes';
import { installSstGlobals, type Recorded, refPath } from './sst-globals';

// sst.config.ts run against recording stand-ins for SST's globals: what the stack would create, with which links
// and settings, per stage. (`npm run typecheck:sst` checks the same files against SST's real types.)
interface SstConfig {
  app(input: { stage: string }): Record<string, unknown>;
  run(): Promise<Record<string, unknown>>;
}

let stack: ReturnType<typeof installSstGlobals>;
const envBefore = { ...process.env };

async function runStage(stage: string, env: Record<string, string> = {}) {
  stack = installSstGlobals(stage);
  Object.assign(process.env, env);
  // A computed specifier: the main tsconfig does not type-check sst.config.ts (it needs SST's platform types).
  const file = pathToFileURL(path.join(repoRoot, 'sst.config.ts')).href;
  const config = ((await import(/* @vite-ignore */ file)) as { default: SstConfig }).default;
  const outputs = await config.run();
  return { config, outputs };
}

const seconds = (duration: unknown): number => {
  const match = /^(\d+) (second|seconds|minute|minutes)$/.exec(String(duration));
  if (!match) throw new Error(`not a duration: ${String(duration)}`);
  return Number(match[1]) * (match[2]?.startsWith('minute') ? 60 : 1);
};
const linkPaths = (fn: Record<string, unknown>) => (fn.link as unknown[]).map((l) => refPath(l));
const applyTransform = (transform: unknown) => {
  const args: Record<string, unknown> = {};
  (transform as (a: Record<string, unknown>) => void)(args);
  return args;
};

beforeEach(() => {
  process.env = { ...envBefore };
  for (const key of ['VETLINE_RETENTION_DAYS', 'VETLINE_ALARM_EMAIL', 'VETLINE_MAX_ATTEMPTS', 'OPENAI_MODEL'])
    delete process.env[key];
});
afterEach(() => {
  stack.uninstall();
  process.env = { ...envBefore };
});

describe('the app', () => {
  it('retains and protects production, removes other stages', async () => {
    const { config } = await runStage('dev');
    expect(config.app({ stage: 'production' })).toMatchObject({
      name: 'vetline',
      home: 'aws',
      removal: 'retain',
      protect: true,
    });
    expect(config.app({ stage: 'alice' })).toMatchObject({ removal: 'remove', protect: false });
  });
});

describe('the table', () => {
  it('has the keys and indexes src/store/table.ts declares, TTL on expiresAt, on-demand', async () => {
    await runStage('dev');
    const table = stack.find('sst.aws.Dynamo', linkNames.table).args;
    const def = tableDefinition('x');
    expect(table.fields).toEqual(
      Object.fromEntries((def.AttributeDefinitions ?? []).map((a) => [a.AttributeName, 'string'])),
    );
    expect(table.primaryIndex).toEqual({ hashKey: 'PK', rangeKey: 'SK' });
    expect(table.globalIndexes).toEqual({
      GSI1: { hashKey: 'GSI1PK', rangeKey: 'GSI1SK', projection: 'all' },
    });
    expect(table.ttl).toBe(ttlAttribute);
    const transformed = applyTransform((table.transform as { table: unknown }).table);
    expect(transformed.billingMode).toBe('PAY_PER_REQUEST');
  });

  it('turns on deletion protection and point-in-time recovery in production only', async () => {
    await runStage('production');
    let table = stack.find('sst.aws.Dynamo', linkNames.table).args;
    expect(table.deletionProtection).toBe(true);
    expect(applyTransform((table.transform as { table: unknown }).table).pointInTimeRecovery).toEqual({
      enabled: true,
    });
    stack.uninstall();

    await runStage('alice');
    table = stack.find('sst.aws.Dynamo', linkNames.table).args;
    expect(table.deletionProtection).toBe(false);
    expect(applyTransform((table.transform as { table: unknown }).table).pointInTimeRecovery).toEqual({
      enabled: false,
    });
  });
});

describe('the uploads bucket', () => {
  it('is private, encrypted and expires objects after the retention setting', async () => {
    await runStage('dev', { VETLINE_RETENTION_DAYS: '90' });
    const bucket = stack.find('sst.aws.Bucket', linkNames.bucket).args;
    expect(bucket.lifecycle).toEqual([{ id: 'retention', expiresIn: '90 days' }]);
    expect(bucket.access).toBeUndefined(); // SST's default: public access blocked
    expect(bucket.versioning).toBeUndefined();
    const sse = stack.find('aws.s3.BucketServerSideEncryptionConfiguration').args;
    expect(refPath(sse.bucket)).toBe(`${linkNames.bucket}.name`);
    expect(sse.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true },
    ]);
  });

  it('follows the default retention when none is set', async () => {
    await runStage('dev');
    const bucket = stack.find('sst.aws.Bucket', linkNames.bucket).args;
    expect(bucket.lifecycle).toEqual([
      { id: 'retention', expiresIn: `${loadConfig({}).retentionDays} days` },
    ]);
  });
});

describe('the job queue and its worker', () => {
  it('gives the queue a visibility timeout at least six times the worker’s timeout and a dead-letter queue', async () => {
    await runStage('dev');
    const queue = stack.find('sst.aws.Queue', linkNames.queue);
    const subscribe = queue.calls.find((c) => c.method === 'subscribe');
    const [fn, options] = (subscribe?.args ?? []) as [Record<string, unknown>, Record<string, unknown>];
    expect(seconds(queue.args.visibilityTimeout)).toBeGreaterThanOrEqual(6 * seconds(fn.timeout));
    const dlq = queue.args.dlq as { queue: unknown; retry: number };
    expect(refPath(dlq.queue)).toBe('JobsDeadLetter.arn');
    // One more delivery than the worker's attempt limit: the last one records `too_many_attempts`.
    expect(dlq.retry).toBe(loadConfig({}).worker.maxAttempts + 1);
    const dead = stack.find('sst.aws.Queue', 'JobsDeadLetter').args;
    expect(
      (dead.transform as { queue: { messageRetentionSeconds: number } }).queue.messageRetentionSeconds,
    ).toBe(14 * 86_400);
    expect(options).toMatchObject({ batch: { partialResponses: true } });
    expect(fn).toMatchObject({
      handler: 'functions/worker.handler',
      runtime: 'nodejs22.x',
      nodejs: { install: ['pdfjs-dist'], plugins: 'infra/esbuild-plugins.mjs' },
    });
    // Prompts are embedded in the bundle by those plugins (tests/aws/bundles.test.ts), not copied beside it.
    expect(fn).not.toHaveProperty('copyFiles');
    expect(linkPaths(fn).sort()).toEqual(
      [linkNames.table, linkNames.bucket, linkNames.queue, linkNames.openAiApiKey].map(String).sort(),
    );
    const env = fn.environment as Record<string, string>;
    expect(Number(env.VETLINE_LEASE_SECONDS)).toBeGreaterThan(seconds(fn.timeout));
  });

  it('alarms as soon as the dead-letter queue holds a message, and mails it when an address is given', async () => {
    await runStage('dev', { VETLINE_ALARM_EMAIL: 'oncall@example.test' });
    const alarm = stack.find('aws.cloudwatch.MetricAlarm').args;
    expect(alarm).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    });
    expect(refPath((alarm.dimensions as { QueueName: unknown }).QueueName)).toBe(
      'JobsDeadLetter.nodes.queue.name',
    );
    expect((alarm.alarmActions as unknown[]).map(refPath)).toEqual(['Alarms.arn']);
    expect(stack.find('aws.sns.TopicSubscription').args).toMatchObject({
      protocol: 'email',
      endpoint: 'oncall@example.test',
    });
  });

  it('still creates the alarm without an address (visible in the console)', async () => {
    await runStage('dev');
    expect(stack.find('aws.cloudwatch.MetricAlarm').args.alarmActions).toBeUndefined();
    expect(stack.all('aws.sns.Topic')).toHaveLength(0);
  });
});

describe('the API', () => {
  it('is Hono on Lambda behind an HTTP API, throttled, linked to what it uses and not to the LLM key', async () => {
    const { outputs } = await runStage('dev');
    const api = stack.find('sst.aws.ApiGatewayV2', 'Api');
    const route = api.calls.find((c) => c.method === 'route');
    expect(route?.args[0]).toBe('$default');
    const fn = route?.args[1] as Record<string, unknown>;
    expect(fn).toMatchObject({
      handler: 'functions/api.handler',
      nodejs: { install: [], plugins: 'infra/esbuild-plugins.mjs' },
    });
    expect(fn).not.toHaveProperty('copyFiles');
    expect(seconds(fn.timeout)).toBeLessThanOrEqual(29);
    expect(linkPaths(fn).sort()).toEqual(
      [linkNames.table, linkNames.bucket, linkNames.queue].map(String).sort(),
    );
    const stage = applyTransform((api.args.transform as { stage: unknown }).stage);
    expect(stage.defaultRouteSettings).toMatchObject({ throttlingBurstLimit: expect.any(Number) });
    expect(refPath(outputs.api)).toBe('Api.url');
    expect(outputs.docs).toBe('Api.url/docs');
  });
});

describe('secrets and the cron', () => {
  it('declares the OpenAI key as a secret with the placeholder the code reads as "unset"', async () => {
    await runStage('dev');
    const secret = stack.find('sst.Secret', linkNames.openAiApiKey) as Recorded;
    expect(secret.args).toEqual({ value: UNSET_SECRET });
  });

  it('runs the ageing reminders daily, linked to the table only', async () => {
    await runStage('dev');
    const cron = stack.find('sst.aws.Cron', 'AgeingReminders').args;
    expect(String(cron.schedule)).toMatch(/^cron\(/);
    const fn = cron.function as Record<string, unknown>;
    expect(fn.handler).toBe('functions/ageing.handler');
    expect(linkPaths(fn)).toEqual([linkNames.table]);
  });

  it('passes the deploying shell’s model choice to the functions', async () => {
    await runStage('dev', { OPENAI_MODEL: 'gpt-4.1' });
    const cron = stack.find('sst.aws.Cron', 'AgeingReminders').args;
    expect((cron.function as { environment: Record<string, string> }).environment.OPENAI_MODEL).toBe(
      'gpt-4.1',
    );
  });
});

describe('settings reach the functions', () => {
  // A value for each LLM_* setting, not its default: a new LLM_* variable in src/core/config.ts fails here until it
  // is given one, and then must reach the worker without an edit to infra/settings.ts.
  const llmValues: Record<string, string> = {
    LLM_TEMPERATURE: '0.5',
    LLM_TIMEOUT_MS: '45000',
    LLM_MAX_RETRIES: '2',
    LLM_MAX_OUTPUT_TOKENS: '3000',
    LLM_SAMPLES: '3',
    LLM_UNSTABLE_SPREAD: '3',
    LLM_RPM: '500',
    LLM_TPM: '400000',
    LLM_RATE_WINDOW_MS: '30000',
    LLM_RETRY_BASE_MS: '400',
    LLM_RETRY_MAX_WAIT_MS: '20000',
    LLM_FALLBACK_OFFLINE: 'true',
    LLM_PRICES: '{"qwen2.5":{"input":0,"cachedInput":0,"output":0}}',
    LLM_AZURE_API_VERSION: '2024-10-21',
    LLM_API_KEY_HEADER: 'api-key',
    LLM_STRUCTURED_OUTPUT: 'json_object',
  };
  const llmNames = settingNames.filter((name) => name.startsWith('LLM_'));
  const workerEnvironment = () => {
    const subscribe = stack
      .find('sst.aws.Queue', linkNames.queue)
      .calls.find((c) => c.method === 'subscribe');
    const fn = (subscribe?.args ?? [])[0] as Record<string, unknown>;
    return { fn, env: fn.environment as Record<string, string> };
  };

  it('passes every LLM_* variable the config reads to the worker', async () => {
    expect(llmNames.length).toBeGreaterThan(10);
    expect(llmNames.filter((name) => !(name in llmValues))).toEqual([]);
    await runStage('dev', llmValues);
    const { env } = workerEnvironment();
    for (const name of llmNames) expect({ name, value: env[name] }).toEqual({ name, value: llmValues[name] });
  });

  it('passes every config variable but the ones named with a reason', async () => {
    expect([...passThrough, ...Object.keys(notPassedThrough)].sort()).toEqual([...settingNames].sort());
    expect(passThrough.filter((name) => name in notPassedThrough)).toEqual([]);
    for (const reason of Object.values(notPassedThrough)) expect(reason.length).toBeGreaterThan(10);
    // The secret and the local-only settings never reach a function, even when the shell has them.
    await runStage('dev', {
      OPENAI_API_KEY: 'sk-from-the-shell',
      VETLINE_DATA_DIR: '/tmp/x',
      VETLINE_RUBRIC: 'r1',
    });
    const { env } = workerEnvironment();
    expect(env).not.toHaveProperty('OPENAI_API_KEY');
    expect(env).not.toHaveProperty('VETLINE_DATA_DIR');
    expect(env.VETLINE_RUBRIC).toBe('r1');
  });

  it('gives the worker a timeout worked out from the LLM settings, at most Lambda’s 15 minutes', async () => {
    await runStage('dev', { LLM_TIMEOUT_MS: '20000', LLM_MAX_RETRIES: '1' });
    const short = seconds(workerEnvironment().fn.timeout);
    stack.uninstall();
    await runStage('dev', { LLM_TIMEOUT_MS: '60000', LLM_MAX_RETRIES: '3' });
    const longer = seconds(workerEnvironment().fn.timeout);
    expect(short).toBeLessThan(longer);
    stack.uninstall();
    await runStage('dev', { LLM_TIMEOUT_MS: '300000', LLM_MAX_RETRIES: '5' });
    const { fn, env } = workerEnvironment();
    expect(seconds(fn.timeout)).toBe(900);
    expect(Number(env.VETLINE_LEASE_SECONDS)).toBeGreaterThan(900);
  });

  it('runs the sweep every five minutes in the cron function, linked to the table and the job queue', async () => {
    await runStage('dev');
    const cron = stack.find('sst.aws.Cron', 'StuckScreeningsSweep').args;
    expect(cron.schedule).toBe('rate(5 minutes)');
    expect(cron.event).toEqual({ job: 'sweep' });
    const fn = cron.function as Record<string, unknown>;
    expect(fn.handler).toBe('functions/ageing.handler');
    expect(linkPaths(fn).sort()).toEqual([linkNames.table, linkNames.queue].map(String).sort());
  });
});
