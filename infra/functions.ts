import { bundling } from './bundling';
import type { StackSettings } from './settings';
import { functionEnvironment } from './settings';

type Linkable = sst.aws.Dynamo | sst.aws.Bucket | sst.aws.Queue | sst.Secret;

export interface FunctionsInput {
  settings: StackSettings;
  table: sst.aws.Dynamo;
  bucket: sst.aws.Bucket;
  queue: sst.aws.Queue;
  openAiApiKey: sst.Secret;
}

/**
 * What every function shares: Node 22 on Graviton, bundled as ESM and minified. No `copyFiles`: the plugins embed
 * every prompt file pre-parsed, with its hash, in the bundles that load them (`infra/esbuild-plugins.mjs`).
 */
function base(settings: StackSettings, link: Linkable[], fn: keyof typeof bundling.install) {
  return {
    runtime: 'nodejs22.x' as const,
    architecture: 'arm64' as const,
    link,
    environment: functionEnvironment(settings),
    nodejs: {
      format: 'esm' as const,
      minify: true,
      plugins: bundling.plugins,
      install: [...bundling.install[fn]],
    },
    // Text format: Powertools already writes one JSON object per line, EMF metrics included, as CloudWatch reads them.
    logging: { retention: '1 month' as const },
  };
}

/**
 * The HTTP API: Hono through `hono/aws-lambda` behind API Gateway HTTP API (v2). Chosen over a Function URL for
 * stage throttling (a flood of uploads cannot run up the LLM bill or DynamoDB), access logs, and a custom domain
 * without CloudFront; its 30-second limit does not bite because the API never drafts. Both give Lambda the same
 * payload format 2.0 event, so switching is a one-line change (`url: true` on the function).
 */
export function api(input: FunctionsInput) {
  const { settings } = input;
  const gateway = new sst.aws.ApiGatewayV2('Api', {
    accessLog: { retention: '1 month' },
    transform: {
      stage: (args) => {
        args.defaultRouteSettings = { throttlingBurstLimit: 100, throttlingRateLimit: 50 };
      },
    },
  });
  gateway.route('$default', {
    ...base(settings, [input.table, input.bucket, input.queue], 'api'),
    handler: 'functions/api.handler',
    memory: '1024 MB',
    timeout: '29 seconds',
  });
  return gateway;
}

/** The worker: SQS batches with partial responses, Powertools idempotency in the same table. */
export function worker(input: FunctionsInput) {
  const { settings } = input;
  const subscription = input.queue.subscribe(
    {
      ...base(settings, [input.table, input.bucket, input.queue, input.openAiApiKey], 'worker'),
      handler: 'functions/worker.handler',
      memory: '1536 MB',
      timeout: `${settings.workerTimeoutSeconds} seconds`,
    },
    { batch: { size: settings.workerBatchSize, window: '1 second', partialResponses: true } },
  );
  return subscription;
}

/** Daily ageing reminders: screenings near the ten-day window, per organisation, as a metric and a log line. */
export function ageing(input: FunctionsInput) {
  return new sst.aws.Cron('AgeingReminders', {
    schedule: 'cron(0 7 * * ? *)',
    function: cronFunction(input, [input.table]),
  });
}

/**
 * The sweep (src/screening/sweep.ts), in the same cron function: every five minutes, screenings whose job was never
 * sent (a failed SQS send after the screening was recorded) or whose worker died are sent to the queue again. Why
 * five minutes: a lost job then waits at most VETLINE_SWEEP_AFTER_SECONDS (3 min) plus 5, against drafts that take
 * about a minute and a ten-day window; more often buys little, and each run costs a Query per working status per
 * organisation (8,640 runs a month: cents of Lambda and DynamoDB, see docs/deploy.md).
 */
export function sweep(input: FunctionsInput) {
  return new sst.aws.Cron('StuckScreeningsSweep', {
    schedule: 'rate(5 minutes)',
    event: { job: 'sweep' },
    function: cronFunction(input, [input.table, input.queue]),
  });
}

function cronFunction(input: FunctionsInput, link: Linkable[]) {
  return {
    ...base(input.settings, link, 'ageing'),
    handler: 'functions/ageing.handler',
    memory: '256 MB' as const,
    timeout: '2 minutes' as const,
  };
}
