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
    { batch: { size: 4, window: '1 second', partialResponses: true } },
  );
  return subscription;
}

/** Daily ageing reminders: screenings near the ten-day window, per organisation, as a metric and a log line. */
export function ageing(input: FunctionsInput) {
  return new sst.aws.Cron('AgeingReminders', {
    schedule: 'cron(0 7 * * ? *)',
    function: {
      ...base(input.settings, [input.table], 'ageing'),
      handler: 'functions/ageing.handler',
      memory: '256 MB',
      timeout: '2 minutes',
    },
  });
}
