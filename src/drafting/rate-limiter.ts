/**
 * Client-side provider budgets: at most `requestsPerWindow` requests and `tokensPerWindow` tokens in any sliding
 * window of `windowMs` (0 means no limit). Callers are served first come, first served, so a large request is not
 * starved by small ones. A 429's Retry-After pauses every caller, not only the one that was refused: the provider
 * has said the whole key is over budget.
 *
 * Tokens are counted the way OpenAI's limiter counts them before it has run the model: about one token per four
 * characters of prompt, plus the `max_completion_tokens` the request allows. Set LLM_MAX_OUTPUT_TOKENS close to
 * what a draft needs, or the budget goes to reservations that are never used.
 */
export interface RateLimits {
  requestsPerWindow: number;
  tokensPerWindow: number;
  windowMs: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** About one token per four characters: what the provider's limiter estimates before tokenising. */
export const estimatePromptTokens = (chars: number): number => Math.ceil(chars / 4);

export class RateLimiter {
  private readonly log: Array<{ at: number; tokens: number }> = [];
  private pausedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  /** Entries stay counted a little past the window: the provider's clock starts when the request arrives. */
  private readonly holdMs: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock = realClock,
  ) {
    this.holdMs = limits.windowMs + Math.max(50, Math.min(1_000, Math.ceil(limits.windowMs * 0.02)));
  }

  get limited(): boolean {
    return this.limits.requestsPerWindow > 0 || this.limits.tokensPerWindow > 0;
  }

  /** Waits until a request of `tokens` fits in both budgets, then counts it. */
  acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForRoom(tokens, signal));
    // The next caller waits for this one's turn, whether it succeeded or was aborted.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Nobody sends before `until` (epoch ms): the provider asked for a pause. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private async waitForRoom(tokens: number, signal?: AbortSignal): Promise<void> {
    const { requestsPerWindow: maxRequests, tokensPerWindow: maxTokens } = this.limits;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      while (this.log.length > 0 && (this.log[0]?.at ?? 0) <= now - this.holdMs) this.log.shift();
      const used = this.log.reduce((sum, e) => sum + e.tokens, 0);
      const requestsOk = maxRequests === 0 || this.log.length < maxRequests;
      // A request larger than the whole budget still goes, alone, rather than never.
      const tokensOk = maxTokens === 0 || used + tokens <= maxTokens || this.log.length === 0;
      if (now >= this.pausedUntil && requestsOk && tokensOk) {
        this.log.push({ at: now, tokens });
        return;
      }
      let wait = Math.max(0, this.pausedUntil - now);
      if (!requestsOk)
        wait = Math.max(wait, (this.log[this.log.length - maxRequests]?.at ?? now) + this.holdMs - now);
      if (!tokensOk) {
        // The earliest moment enough of the oldest entries have left the window.
        let freed = maxTokens - used;
        for (const entry of this.log) {
          freed += entry.tokens;
          if (freed >= tokens) {
            wait = Math.max(wait, entry.at + this.holdMs - now);
            break;
          }
        }
      }
      await this.clock.sleep(Math.max(1, wait), signal);
    }
  }
}
