import OpenAI, { AzureOpenAI } from 'openai';
import { z } from 'zod';
import type { LlmConfig } from '../core/config';

/**
 * Builds the `openai` SDK client for the configured endpoint:
 * - any OpenAI-compatible server, Azure OpenAI's v1 API included (`https://<resource>.openai.azure.com/openai/v1/`),
 *   with the key as `Authorization: Bearer` (the default) or, with `LLM_API_KEY_HEADER=api-key`, as Azure's and
 *   many gateways' `api-key` header;
 * - Azure OpenAI's deployment API when `LLM_AZURE_API_VERSION` is set: the SDK's `AzureOpenAI` client, which puts
 *   the model (the deployment name) in the path, adds `api-version` and sends `api-key`.
 * Retries are the drafter's (each must pass its rate limiter), so the SDK's are off. Every response passes through
 * `observe` (the URL actually called, for error messages and `npm run llm:check`), and error bodies are put in
 * OpenAI's `{error: {...}}` envelope first: older vLLM (top-level `message`), FastAPI (`detail`) and Ollama
 * (`error` as a string) shapes otherwise reach the SDK as "400 status code (no body)", and the server's reason,
 * which the drafter needs to tell an unsupported parameter from a real failure, is lost.
 */
export type ObserveResponse = (url: string, status: number) => void;

export function createLlmClient(config: LlmConfig, observe?: ObserveResponse): OpenAI {
  const fetch = withReadableErrors(globalThis.fetch, observe);
  const common = { timeout: config.timeoutMs, maxRetries: 0, fetch };
  const compat = config.compat;
  if (compat?.azureApiVersion) {
    // A bare resource endpoint (`https://x.openai.azure.com`) gets the SDK's `/openai` suffix; a longer URL is used
    // as given.
    const bare = config.baseURL !== undefined && /^\/?$/.test(new URL(config.baseURL).pathname);
    return new AzureOpenAI({
      ...common,
      apiKey: config.apiKey,
      apiVersion: compat.azureApiVersion,
      ...(bare ? { endpoint: config.baseURL?.replace(/\/$/, '') } : { baseURL: config.baseURL }),
    });
  }
  const keyHeader = compat?.apiKeyHeader === 'api-key';
  return new OpenAI({
    ...common,
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    // `null` removes the SDK's own Authorization header, so the key travels once, in the header asked for.
    ...(keyHeader ? { defaultHeaders: { 'api-key': config.apiKey, authorization: null } } : {}),
  });
}

/** The error envelopes seen in the wild, in the order they are tried. */
const OpenAiEnvelope = z.object({ error: z.object({ message: z.string() }).loose() }).loose();
const TopLevel = z
  .object({
    message: z.string(),
    type: z.string().optional(),
    param: z.string().nullable().optional(),
    code: z.unknown().optional(),
  })
  .loose();
const Detail = z.object({ detail: z.unknown() });
const StringError = z.object({ error: z.string() });
const DetailItem = z.object({ loc: z.array(z.union([z.string(), z.number()])).optional(), msg: z.string() });

/** An error body as `{error: {message, type, param, code}}`, whatever shape it came in. */
export function normaliseErrorBody(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return JSON.stringify({ error: { message: text.trim().slice(0, 2_000) || 'no body' } });
  }
  if (OpenAiEnvelope.safeParse(json).success) return text;
  const top = TopLevel.safeParse(json);
  if (top.success) {
    const { message, type, param } = top.data;
    const code = typeof top.data.code === 'string' ? top.data.code : null;
    return JSON.stringify({ error: { message, type: type ?? null, param: param ?? null, code } });
  }
  const str = StringError.safeParse(json);
  if (str.success) return JSON.stringify({ error: { message: str.data.error } });
  const detail = Detail.safeParse(json);
  if (detail.success) {
    const items = Array.isArray(detail.data.detail) ? detail.data.detail : [detail.data.detail];
    const parts = items.map((item) => {
      const parsed = DetailItem.safeParse(item);
      if (!parsed.success) return typeof item === 'string' ? item : JSON.stringify(item);
      const loc = (parsed.data.loc ?? []).filter((l) => l !== 'body').join('.');
      return loc ? `${loc}: ${parsed.data.msg}` : parsed.data.msg;
    });
    const param = items.length === 1 ? DetailItem.safeParse(items[0]).data?.loc?.at(-1) : undefined;
    return JSON.stringify({
      error: { message: parts.join('; '), param: typeof param === 'string' ? param : null },
    });
  }
  return JSON.stringify({ error: { message: text.slice(0, 2_000) } });
}

export function withReadableErrors(inner: typeof fetch, observe?: ObserveResponse): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    observe?.(url, response.status);
    if (response.ok) return response;
    const body = normaliseErrorBody(await response.text());
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}
