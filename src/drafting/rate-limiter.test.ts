import { describe, expect, it } from 'vitest';
import { type Clock, RateLimiter } from './rate-limiter';

/** A clock that only moves when someone sleeps: the limiter's decisions, without real time. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

describe('RateLimiter', () => {
  it('lets requests through until the request budget of the window is spent, then waits for the window', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerWindow: 3, tokensPerWindow: 0, windowMs: 1000 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await limiter.acquire(1);
      times.push(clock.t);
    }
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    expect(times[3]).toBeGreaterThanOrEqual(1000);
    expect(times[6]).toBeGreaterThanOrEqual(2000);
    // Never more than 3 in any window.
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(3);
  });

  it('spends the token budget, and lets a request larger than the budget go alone', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerWindow: 0, tokensPerWindow: 1000, windowMs: 1000 }, clock);
    await limiter.acquire(600);
    await limiter.acquire(400);
    expect(clock.t).toBe(0);
    await limiter.acquire(500);
    expect(clock.t).toBeGreaterThanOrEqual(1000);
    await limiter.acquire(5000);
    expect(clock.t).toBeGreaterThanOrEqual(2000);
  });

  it('holds everyone back until a Retry-After pause ends', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerWindow: 0, tokensPerWindow: 0, windowMs: 1000 }, clock);
    limiter.pauseUntil(750);
    await limiter.acquire(1);
    expect(clock.t).toBeGreaterThanOrEqual(750);
  });

  it('serves callers in arrival order', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ requestsPerWindow: 1, tokensPerWindow: 0, windowMs: 100 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire(1).then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });
});
