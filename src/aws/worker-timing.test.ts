import { describe, expect, it } from 'vitest';
import { DEADLINE_MARGIN_MS, MAX_LAMBDA_SECONDS, workerTiming } from './worker-timing';

const defaults = {
  timeoutMs: 60_000,
  maxRetries: 3,
  retryMaxWaitMs: 30_000,
  maxOutputTokens: 4_000,
  samples: 1,
  requestsPerWindow: 0,
  tokensPerWindow: 0,
  windowMs: 60_000,
  takeHomeTokenBudget: 24_000,
  batchSize: 4,
};

describe('workerTiming', () => {
  it('sizes the default worker: two calls with their retries, extraction and the deadline margin', () => {
    // call = 60 x 4 + 30 x 3 = 330 s; draft = 2 calls = 660 s; + 30 s extraction + 20 s margin.
    expect(workerTiming(defaults)).toEqual({
      draftSeconds: 660,
      limiterSeconds: 0,
      neededSeconds: 660 + 30 + DEADLINE_MARGIN_MS / 1000,
      timeoutSeconds: 710,
    });
  });

  it('adds the waits the client-side limiter imposes on a batch, from the tighter of the two limits', () => {
    // 4 records x 3 samples x 2 turns = 24 requests; 60,000 TPM / 34,000-token requests = 1 a window: 24 windows.
    const limited = workerTiming({
      ...defaults,
      timeoutMs: 10_000,
      maxRetries: 0,
      samples: 3,
      tokensPerWindow: 60_000,
    });
    expect(limited.limiterSeconds).toBe(24 * 60);
    expect(limited.timeoutSeconds).toBe(MAX_LAMBDA_SECONDS);
    expect(limited.neededSeconds).toBeGreaterThan(MAX_LAMBDA_SECONDS);
    // A requests-per-minute limit that holds the whole batch adds one window.
    expect(workerTiming({ ...defaults, requestsPerWindow: 100 }).limiterSeconds).toBe(60);
  });
});
