import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiEvent, lambdaContext, sqsEvent, sqsRecord } from '../../tests/support/aws/lambda-events';
import { type LambdaStack, startLambdaStack } from '../../tests/support/aws/lambda-stack';
import { corpusResumes, seniorResumeText } from '../../tests/support/resumes';
import { Assessment } from '../assessment/assessment';
import type { Services } from '../core/services';
import type { Drafter } from '../drafting/drafter';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { extractDocument } from '../extraction/extract';
import { idempotencyPartition } from '../store/table';
import { type ApiHandler, createApiHandler } from './api-handler';
import { functionMetrics } from './metrics';
import { noDrafter } from './no-drafter';
import { createPowertoolsLogger } from './powertools-logger';
import { createWorkerHandler, type WorkerHandler } from './worker-handler';

// The worker function's handler with SQS event fixtures, against DynamoDB Local (the screenings and Powertools'
// idempotency records in the same table), s3rver and the API function's handler to put real jobs on the queue.
let stack: LambdaStack;
let api: ApiHandler;
let worker: WorkerHandler;
let makeWorker: () => WorkerHandler;
let workerServices: Services;
let tokens: Record<'recruiter' | 'reviewer' | 'admin', string>;
const drafted: string[] = [];
let gate: Promise<void> | null = null;

/** The offline drafter, counted, and held at a gate when a test needs a draft to be in flight. */
const countingDrafter: Drafter = {
  kind: 'offline',
  draft: async (request, signal) => {
    drafted.push(request.screeningId);
    if (gate) await gate;
    return new OfflineDrafter().draft(request, signal);
  },
};

beforeAll(async () => {
  stack = await startLambdaStack();
  const apiSide = await stack.build({ extract: null, drafter: noDrafter });
  ({ tokens } = await stack.newOrg(apiSide.services));
  api = createApiHandler(apiSide.services, createPowertoolsLogger('vetline-api', 'silent'));
  const workerSide = await stack.build({ extract: extractDocument, drafter: countingDrafter });
  workerServices = workerSide.services;
  // One handler per execution environment: Lambda never runs two invocations in one at the same time.
  makeWorker = () =>
    createWorkerHandler({
      services: workerSide.services,
      dynamo: workerSide.dynamo,
      logger: createPowertoolsLogger('vetline-worker', 'silent'),
      metrics: functionMetrics(stack.config, 'worker'),
      idempotencySeconds: stack.config.aws.idempotencySeconds,
    });
  worker = makeWorker();
});
afterAll(() => stack.close());

/** Uploads through the API function and returns the SQS record its job became. */
async function upload(bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.set('resume', new File([bytes], filename));
  const before = stack.sqs.sent.length;
  const res = await api(
    await httpApiEvent('POST', '/v1/screenings', {
      headers: { authorization: `Bearer ${tokens.recruiter}` },
      body: form,
    }),
    lambdaContext('api'),
  );
  expect(res.statusCode).toBe(202);
  const sent = stack.sqs.sent[before];
  if (!sent) throw new Error('no message was sent');
  const { id } = JSON.parse(res.body) as { id: string };
  return { id, record: sqsRecord(sent.body, { messageId: sent.messageId }) };
}

async function getScreening(id: string) {
  const res = await api(
    await httpApiEvent('GET', `/v1/screenings/${id}`, {
      headers: { authorization: `Bearer ${tokens.reviewer}` },
    }),
    lambdaContext('api'),
  );
  return JSON.parse(res.body) as { screening: { status: string; attempts: number }; assessment: unknown };
}

const textResume = () => new TextEncoder().encode(seniorResumeText);

describe('the worker function', () => {
  it('extracts a corpus PDF from S3, drafts and stores the draft; reports no failures', async () => {
    const pdf = corpusResumes().find((r) => r.name.endsWith('.pdf'));
    if (!pdf) throw new Error('no PDF in the corpus');
    const { id, record } = await upload(pdf.bytes, pdf.name);
    const response = await worker(sqsEvent(record), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    const detail = await getScreening(id);
    expect(detail.screening.status).toBe('drafted');
    expect(Assessment.parse(detail.assessment).provenance.drafter).toBe('offline');
  });

  it('runs a duplicate delivery of a processed message zero more times (idempotency in the same table)', async () => {
    const { id, record } = await upload(textResume(), 'priya.txt');
    expect(await worker(sqsEvent(record), lambdaContext())).toEqual({ batchItemFailures: [] });
    const draftsBefore = drafted.filter((s) => s === id).length;
    expect(draftsBefore).toBe(1);

    const again = sqsRecord(record.body, { messageId: record.messageId, receiveCount: 2 });
    expect(await worker(sqsEvent(again), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(drafted.filter((s) => s === id)).toHaveLength(1);
    expect((await getScreening(id)).screening).toMatchObject({ status: 'drafted', attempts: 1 });

    // The record Powertools keeps: in our table, in its own partition, expiring through the table's TTL attribute.
    const db = (await stack.build({ extract: null, drafter: noDrafter })).db;
    const out = await db.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': idempotencyPartition },
      }),
    );
    const stored = (out.Items ?? []).find((item) => item.data?.screeningId === id);
    expect(stored).toMatchObject({ status: 'COMPLETED' });
    const ttl = Number(stored?.expiresAt);
    expect(ttl).toBeGreaterThan(Date.now() / 1000 + stack.config.aws.idempotencySeconds - 120);
    expect(ttl).toBeLessThan(Date.now() / 1000 + stack.config.aws.idempotencySeconds + 120);
  });

  it('treats the same job under another message id as harmless (the claim is conditional)', async () => {
    const { id, record } = await upload(textResume(), 'again.txt');
    await worker(sqsEvent(record), lambdaContext());
    const twin = sqsRecord(record.body);
    expect(await worker(sqsEvent(twin), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(drafted.filter((s) => s === id)).toHaveLength(1);
  });

  it('reports a duplicate that arrives while the first is in flight as a failure, to be retried, then settles', async () => {
    const { id, record } = await upload(textResume(), 'inflight.txt');
    let open: () => void = () => undefined;
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const first = worker(sqsEvent(record), lambdaContext());
    while (!drafted.includes(id)) await new Promise((r) => setTimeout(r, 10));
    // The duplicate lands in another execution environment while the first is drafting.
    const elsewhere = makeWorker();
    const second = await elsewhere(
      sqsEvent(sqsRecord(record.body, { messageId: record.messageId })),
      lambdaContext(),
    );
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: record.messageId }] });
    open();
    gate = null;
    expect(await first).toEqual({ batchItemFailures: [] });
    const retried = await elsewhere(
      sqsEvent(sqsRecord(record.body, { messageId: record.messageId })),
      lambdaContext(),
    );
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(drafted.filter((s) => s === id)).toHaveLength(1);
  });

  it('reports poison messages as batch item failures on every delivery, so SQS dead-letters them', async () => {
    const { id, record: good } = await upload(textResume(), 'good.txt');
    const notJson = sqsRecord('{"orgId": "org_1", "screeningId"');
    const notAJob = sqsRecord(JSON.stringify({ orgId: 'org_1', screeningId: '../../etc' }));
    const first = await worker(sqsEvent(notJson, good, notAJob), lambdaContext());
    expect(first.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [notJson.messageId, notAJob.messageId].sort(),
    );
    expect((await getScreening(id)).screening.status).toBe('drafted');

    // Redelivered alone (the good one is gone): still failures, never a thrown error that would hide which failed.
    for (const receiveCount of [2, 3, 4]) {
      const batch = sqsEvent(
        sqsRecord(notJson.body, { messageId: notJson.messageId, receiveCount }),
        sqsRecord(notAJob.body, { messageId: notAJob.messageId, receiveCount }),
      );
      const response = await worker(batch, lambdaContext());
      expect(response.batchItemFailures).toHaveLength(2);
    }
  });

  it('leaves a job for a screening that does not exist as done (nothing to claim), not as a failure', async () => {
    const ghost = sqsRecord(JSON.stringify({ orgId: 'org_ghost', screeningId: 'scr_ghost' }));
    expect(await worker(sqsEvent(ghost), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await workerServices.screenings.getScreening('org_ghost', 'scr_ghost')).toBeNull();
  });
});
