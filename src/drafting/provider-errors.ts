import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  RateLimitError,
} from 'openai';
import { DraftError, type DraftFailureCode } from './drafter';

/**
 * A provider error as a `DraftError` whose message a user can act on: secrets redacted, the request id when the
 * provider gave one, and for a 404 the URL that was called, with the likely fix (a base URL without `/v1`, or a
 * model/deployment the server does not have) rather than a silent guess at another URL.
 */
export interface ErrorContext {
  apiKey: string;
  model: string;
  /** The chat-completions URL the request went to, when known. */
  url: string | null;
}

export function toDraftError(error: unknown, context: ErrorContext): unknown {
  // The caller's own abort is not a provider failure: let it through unchanged.
  if (error instanceof APIUserAbortError) return error;
  if (!(error instanceof APIError)) return error;
  const detail = redact(error.message, context.apiKey);
  const requestId = error.requestID ? ` (request ${error.requestID})` : '';
  const fail = (code: DraftFailureCode, what: string, retryable: boolean, withDetail = true) =>
    new DraftError(code, withDetail ? `${what}${requestId}: ${detail}` : `${what}${requestId}`, {
      retryable,
      // An auth error's body may echo part of the key; keep it out of logs entirely.
      cause: code === 'llm_auth' ? undefined : error,
    });

  if (error instanceof RateLimitError) return fail('llm_rate_limited', 'LLM provider rate limit', true);
  if (error instanceof APIConnectionTimeoutError) return fail('llm_timeout', 'LLM request timed out', true);
  if (error instanceof APIConnectionError) {
    const where = context.url ? ` at ${displayUrl(context.url)}` : '';
    return fail('llm_unavailable', `LLM provider unreachable${where}`, true);
  }
  const status = error.status ?? 0;
  if (status === 404)
    return fail('llm_not_found', notFound(detail.replace(/^404 /, ''), context), false, false);
  if (status === 408) return fail('llm_timeout', 'LLM provider timed out', true);
  if (status >= 500 || status === 409) return fail('llm_unavailable', `LLM provider error ${status}`, true);
  if (status === 401 || status === 403)
    return fail('llm_auth', `LLM provider refused the credentials`, false);
  return fail('llm_bad_request', `LLM provider rejected the request (${status})`, false);
}

const MODEL_MISSING = /model|deployment/i;
const NOT_THERE = /not found|does not exist|doesn't exist|no such|try pulling|unknown/i;

function notFound(detail: string, context: ErrorContext): string {
  const called = context.url ? displayUrl(context.url) : 'the configured endpoint';
  const answer = `404: ${detail.slice(0, 300)}`;
  if (MODEL_MISSING.test(detail) && NOT_THERE.test(detail)) {
    return (
      `The LLM endpoint at ${called} does not have model "${context.model}" (${answer}). Check OPENAI_MODEL: ` +
      'for Azure OpenAI, the deployment name; for Ollama, a model that has been pulled'
    );
  }
  const base = context.url ? baseOf(context.url) : null;
  if (base && !/\/v1\/?$/.test(new URL(base).pathname)) {
    const suggested = `${displayUrl(base).replace(/\/$/, '')}/v1`;
    return (
      `Nothing answers at ${called} (${answer}). The base URL has no /v1 suffix, and OpenAI-compatible servers ` +
      `(Ollama, llama.cpp, vLLM, LM Studio) serve the API under /v1: try OPENAI_BASE_URL=${suggested}`
    );
  }
  return `Nothing answers at ${called} (${answer}). Check OPENAI_BASE_URL and OPENAI_MODEL`;
}

/** The base URL a chat-completions URL was built from. */
function baseOf(url: string): string | null {
  try {
    const u = new URL(url);
    u.search = '';
    const path = u.pathname.replace(/\/chat\/completions\/?$/, '');
    if (path === u.pathname) return null;
    u.pathname = path;
    return u.href.replace(/\/$/, '');
  } catch {
    return null;
  }
}

/** A URL fit for a message: no user info, no query parameters that look like secrets. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const name of [...u.searchParams.keys()]) {
      if (/key|token|secret|sig/i.test(name)) u.searchParams.set(name, '[redacted]');
    }
    return u.href;
  } catch {
    return '[unparseable URL]';
  }
}

export function redact(text: string, apiKey: string): string {
  let out = text;
  if (apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  // Provider messages may echo a masked key (`sk-abc***xyz`): drop anything key-shaped.
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*.-]{4,}/g, '[redacted]');
}
