import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { LlmLimits } from '../core/config';

/** Provider discipline defaults when a config names no limits: no client-side budget, half-second backoff base. */
export const DEFAULT_LIMITS: LlmLimits = {
  requestsPerWindow: 0,
  tokensPerWindow: 0,
  windowMs: 60_000,
  retryBaseMs: 500,
  retryMaxWaitMs: 30_000,
};

/** Retry-After as milliseconds: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | null {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = headers?.get('retry-after');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * How long to wait before retrying `error` (attempt `attempt`, counted from 0), or `null` to give up: not retryable
 * (4xx other than 408/409/429, the caller's abort), out of retries, or the provider asked for a longer pause than
 * a worker may be held for. 429, 408, 409, 5xx, timeouts and dropped connections are retried after the provider's
 * Retry-After when it gives one (plus a little jitter, so that callers told the same time do not all return at
 * once), else after an exponential backoff with full jitter.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  maxRetries: number,
  limits: LlmLimits,
): { wait: number; askedMs: number | null } | null {
  if (!(error instanceof APIError) || error instanceof APIUserAbortError) return null;
  const status = error.status ?? 0;
  const retryable =
    error instanceof APIConnectionError ||
    status === 408 ||
    status === 409 ||
    status === 429 ||
    status >= 500;
  if (!retryable || attempt >= maxRetries) return null;
  const asked = retryAfterMs(error.headers);
  if (asked !== null) {
    if (asked > limits.retryMaxWaitMs) return null;
    return { wait: asked + Math.floor(Math.random() * Math.min(250, limits.retryBaseMs)), askedMs: asked };
  }
  const ceiling = Math.min(limits.retryMaxWaitMs, limits.retryBaseMs * 2 ** attempt);
  return { wait: Math.floor(Math.random() * ceiling), askedMs: null };
}
