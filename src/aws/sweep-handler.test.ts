import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpApiEvent,
  lambdaContext,
  scheduledEvent,
  sqsEvent,
  sqsRecord,
} from '../../tests/support/aws/lambda-events';
import { type LambdaStack, startLambdaStack } from '../../tests/support/aws/lambda-stack';
import { seniorResumeText } from '../../tests/support/resumes';
import { createLogger } from '../core/logger';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { extractDocument } from '../extraction/extract';
import { createAgeingHandler } from './ageing-handler';
import { type ApiHandler, createApiHandler } from './api-handler';
import type { LambdaServices } from './lambda-services';
import { functionMetrics } from './metrics';
import { noDrafter } from './no-drafter';
import { createPowertoolsLogger } from './powertools-logger';
import { createCronHandler, createSweepHandler } from './sweep-handler';
import { createWorkerHandler } from './worker-handler';
import { DEADLINE_MARGIN_MS } from './worker-timing';

// The path a lost job takes on AWS, on this machine: the API function's SQS send fails (the SQS wire answers
// throttling), the upload still succeeds as `queued`; the cron function's sweep event re-sends the job over the real
// SQS client; the worker function drafts it from a real SQS record. Then the worker's deadline from the context.
let stack: LambdaStack;
let api: ApiHandler;
let apiSide: LambdaServices;
let tokens: Record<'recruiter' | 'reviewer' | 'admin', string>;

beforeAll(async () => {
  stack = await startLambdaStack();
  apiSide = await stack.build({ extract: null, drafter: noDrafter });
  ({ tokens } = await stack.newOrg(apiSide.services));
  api = createApiHandler(apiSide.services, createPowertoolsLogger('vetline-api', 'silent'));
});
afterAll(() => stack.close());

function worker(side: LambdaServices) {
  return createWorkerHandler({
    services: side.services,
    dynamo: side.dynamo,
    logger: createPowertoolsLogger('vetline-worker', 'silent'),
    metrics: functionMetrics(stack.config, 'worker'),
    idempotencySeconds: stack.config.aws.idempotencySeconds,
  });
}

function cron(now: () => Date) {
  const { services, db } = apiSide;
  const metrics = functionMetrics(stack.config, 'ageing');
  return createCronHandler({
    ageing: createAgeingHandler({
      config: stack.config,
      db,
      screenings: services.screenings,
      logger: createPowertoolsLogger('vetline-ageing', 'silent'),
      metrics,
    }),
    sweep: createSweepHandler({
      config: stack.config,
      screenings: services.screenings,
      queue: services.queue,
      logger: createLogger('silent'),
      metrics,
      now,
    }),
  });
}

async function uploadWhileSqsFails(): Promise<string> {
  const form = new FormData();
  form.set('resume', new File([new TextEncoder().encode(seniorResumeText)], 'priya.txt'));
  const before = stack.sqs.sent.length;
  stack.sqs.failNext(100); // every attempt of the SDK's retries
  const res = await api(
    await httpApiEvent('POST', '/v1/screenings', {
      headers: { authorization: `Bearer ${tokens.recruiter}` },
      body: form,
    }),
    lambdaContext('api'),
  );
  stack.sqs.failNext(0);
  expect(res.statusCode).toBe(202);
  expect(stack.sqs.sent.length).toBe(before);
  return (JSON.parse(res.body) as { id: string }).id;
}

const status = async (id: string) => {
  const res = await api(
    await httpApiEvent('GET', `/v1/screenings/${id}`, {
      headers: { authorization: `Bearer ${tokens.reviewer}` },
    }),
    lambdaContext('api'),
  );
  return (JSON.parse(res.body) as { screening: { status: string; statusReason: unknown } }).screening;
};

describe('the sweep on AWS', () => {
  it('re-sends the job of an upload whose SQS send failed, and the worker drafts it', async () => {
    const id = await uploadWhileSqsFails();
    expect((await status(id)).status).toBe('queued');

    // Too early: the sweep leaves a fresh `queued` screening alone (its message may be on its way).
    const early = await cron(() => new Date())({ job: 'sweep' }, lambdaContext('vetline-test-Sweep'));
    expect(early).toMatchObject({ requeued: 0 });

    const later = () => new Date(Date.now() + (stack.config.sweep.afterSeconds + 1) * 1000);
    const before = stack.sqs.sent.length;
    const summary = await cron(later)({ job: 'sweep' }, lambdaContext('vetline-test-Sweep'));
    expect(summary).toMatchObject({ requeued: 1, queued: 1, failedSends: 0 });
    const sent = stack.sqs.sent.slice(before);
    expect(sent.map((m) => JSON.parse(m.body))).toEqual([{ orgId: expect.any(String), screeningId: id }]);

    const workerSide = await stack.build({ extract: extractDocument, drafter: new OfflineDrafter() });
    const record = sqsRecord(sent[0]?.body ?? '', { messageId: sent[0]?.messageId ?? '' });
    expect(await worker(workerSide)(sqsEvent(record), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect((await status(id)).status).toBe('drafted');
  });

  it('sends EventBridge’s scheduled event to the ageing reminders, not the sweep', async () => {
    const summary = await cron(() => new Date())(scheduledEvent(), lambdaContext('vetline-test-Ageing'));
    expect(summary).toHaveProperty('organisations');
    expect(summary).not.toHaveProperty('requeued');
  });
});

describe('the worker’s deadline', () => {
  it('comes from the invocation’s remaining time: a draft still running then ends failed: worker_deadline', async () => {
    const hanging: Drafter = {
      kind: 'offline',
      draft: (_request, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    };
    const form = new FormData();
    form.set('resume', new File([new TextEncoder().encode(seniorResumeText)], 'slow.txt'));
    const before = stack.sqs.sent.length;
    const res = await api(
      await httpApiEvent('POST', '/v1/screenings', {
        headers: { authorization: `Bearer ${tokens.recruiter}` },
        body: form,
      }),
      lambdaContext('api'),
    );
    const { id } = JSON.parse(res.body) as { id: string };
    const sent = stack.sqs.sent[before];
    const workerSide = await stack.build({ extract: extractDocument, drafter: hanging });
    // An invocation with a second and a half left beyond the margin: the job must stop by itself, and record why.
    const context = lambdaContext('vetline-test-Worker', DEADLINE_MARGIN_MS + 1_500);
    const record = sqsRecord(sent?.body ?? '', { messageId: sent?.messageId ?? '' });
    expect(await worker(workerSide)(sqsEvent(record), context)).toEqual({ batchItemFailures: [] });
    expect(await status(id)).toMatchObject({
      status: 'failed',
      statusReason: { code: 'worker_deadline', retryable: true },
    });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(DEADLINE_MARGIN_MS - 5_000);
  });
});
