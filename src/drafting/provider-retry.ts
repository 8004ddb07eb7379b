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
