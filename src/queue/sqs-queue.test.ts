import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsWire, startSqsWire } from '../../tests/support/aws/sqs-wire';
import { createSqsClient, delaySecondsFor, MAX_DELAY_SECONDS, SqsJobQueue } from './sqs-queue';

let wire: SqsWire;
let queue: SqsJobQueue;

beforeAll(async () => {
  wire = await startSqsWire();
  queue = new SqsJobQueue(createSqsClient({ region: 'us-east-1', endpoint: wire.endpoint }), wire.queueUrl());
});
afterAll(() => wire.close());

describe('delaySecondsFor', () => {
  it('rounds milliseconds up to whole seconds and caps them at SQS’s 15 minutes', () => {
    expect(delaySecondsFor(undefined)).toBe(0);
    expect(delaySecondsFor(0)).toBe(0);
    expect(delaySecondsFor(-5)).toBe(0);
    expect(delaySecondsFor(Number.NaN)).toBe(0);
    expect(delaySecondsFor(1)).toBe(1);
    expect(delaySecondsFor(1500)).toBe(2);
    expect(delaySecondsFor(60_000)).toBe(60);
    expect(delaySecondsFor(20 * 60_000)).toBe(MAX_DELAY_SECONDS);
  });
});

describe('SqsJobQueue', () => {
  it('sends one message per job, its body the ids only, to the queue it was given', async () => {
    const before = wire.sent.length;
    await queue.enqueue({ orgId: 'org_1', screeningId: 'scr_1' });
    const message = wire.sent[before];
    expect(wire.sent).toHaveLength(before + 1);
    expect(message?.target).toBe('AmazonSQS.SendMessage');
    expect(message?.queueUrl).toBe(wire.queueUrl());
    expect(JSON.parse(message?.body ?? '')).toEqual({ orgId: 'org_1', screeningId: 'scr_1' });
    expect(message?.delaySeconds).toBe(0);
  });

  it('maps delayMs to DelaySeconds', async () => {
    const before = wire.sent.length;
    await queue.enqueue({ orgId: 'org_1', screeningId: 'scr_2' }, { delayMs: 2_500 });
    await queue.enqueue({ orgId: 'org_1', screeningId: 'scr_3' }, { delayMs: 3_600_000 });
    expect(wire.sent.slice(before).map((m) => m.delaySeconds)).toEqual([3, 900]);
  });

  it('does not smuggle extra job fields into the message', async () => {
    const before = wire.sent.length;
    const job = { orgId: 'org_1', screeningId: 'scr_4', candidateName: 'Ada' } as {
      orgId: string;
      screeningId: string;
    };
    await queue.enqueue(job);
    expect(JSON.parse(wire.sent[before]?.body ?? '')).toEqual({ orgId: 'org_1', screeningId: 'scr_4' });
  });

  it('retries a throttled send and then succeeds; fails loudly when SQS keeps refusing', async () => {
    const before = wire.sent.length;
    wire.failNext(1, 'RequestThrottled', 400);
    await queue.enqueue({ orgId: 'org_1', screeningId: 'scr_5' });
    expect(wire.sent.length).toBe(before + 1);

    wire.failNext(10, 'QueueDoesNotExist', 400);
    await expect(queue.enqueue({ orgId: 'org_1', screeningId: 'scr_6' })).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
    wire.failNext(0);
  });
});
