import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelDraft } from '../../src/assessment/assessment';
import { COMPETENCY_IDS_LABEL } from '../../src/prompting/build-messages';
import { errorBody, type FakeQuirks, rejectionFor, shapeCompletion } from './fake-openai-quirks';

export { type FakeQuirks, type FakeRejection, knownRejections } from './fake-openai-quirks';

/**
 * A fake OpenAI-compatible server on 127.0.0.1 that speaks the real wire protocol (non-streaming chat
 * completions, a minimal Responses API, the model list), so tests and benchmarks can drive the real `openai` SDK
 * over real loopback HTTP: retries, Retry-After, timeouts, dropped sockets and bad answers included.
 */

export interface FakeUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export type FakeReply =
  | {
      kind: 'json';
      /** The assistant's content: an object is JSON.stringified, a string is sent as is. */
      content: unknown;
      usage?: FakeUsage;
      cachedTokens?: number;
      finishReason?: 'stop' | 'length' | 'content_filter';
      /** The `model` the answer names; defaults to the requested model. */
      model?: string;
    }
  | { kind: 'refusal'; refusal: string }
  | {
      kind: 'error';
      status: 400 | 401 | 403 | 404 | 422 | 429 | 500 | 502 | 503;
      retryAfterSeconds?: number;
      retryAfterMs?: number;
      message?: string;
      param?: string | null;
      code?: string | null;
      type?: string;
    }
  | { kind: 'hang' }
  /** `reply`, not `then`: an object literal with a `then` key trips Biome's noThenProperty at every use. */
  | { kind: 'delay'; ms: number; reply: FakeReply }
  | { kind: 'drop' };

export interface FakeMessage {
  role: string;
  content: string;
}

export interface FakeChatRequest {
  api: 'chat' | 'responses';
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  authorization: string | undefined;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  model: string;
  /** Chat messages; for the Responses API, `instructions` and `input` mapped to the same shape. */
  messages: FakeMessage[];
  /** The `json_schema` name of the requested structured output, when there is one. */
  schemaName: string | undefined;
  receivedAt: number;
}

/** Every request that reached the server, valid or not. */
export interface FakeRecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  /** The query string's parameters (Azure's `api-version`, for one). */
  query: Record<string, string>;
  /** Set when the request was a valid chat or responses call. */
  chat: FakeChatRequest | undefined;
  receivedAt: number;
}

export type FakeResponder = (req: FakeChatRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAiOptions {
  /** Answers requests once the scripted replies are used up; defaults to `groundedDraftResponder`. */
  responder?: FakeResponder;
  /** The model `GET /v1/models` lists. */
  model?: string;
  /**
   * Imitates provider prompt caching when a reply does not fix `cachedTokens`: a system message seen before and
   * at least 1024 tokens long counts as cached, in 128-token steps.
   */
  simulatePromptCache?: boolean;
  /**
   * A provider quota: requests and tokens per sliding window (either may be omitted). A request is counted as its
   * prompt (`estimateTokens` of the messages) plus its `max_completion_tokens`, as OpenAI's limiter counts it; one
   * that does not fit is answered 429 with Retry-After and retry-after-ms saying when it would.
   */
  quota?: FakeQuota;
  /** Imitations of real servers' differences (fake-openai-quirks.ts); `fake.quirks` changes them later. */
  quirks?: FakeQuirks;
  /**
   * Where the API lives: `/v1` (default: OpenAI, vLLM, Ollama, llama.cpp, LM Studio) or `/openai/v1` (Azure OpenAI's
   * v1 API). Azure's deployment paths (`/openai/deployments/{name}/chat/completions`) are always served too.
   */
  pathPrefix?: string;
}

export interface FakeQuota {
  windowMs: number;
  requests?: number;
  tokens?: number;
}

/** What the quota admitted and refused, in arrival order. */
export interface FakeQuotaLog {
  admitted: Array<{ at: number; tokens: number }>;
  refused: number;
}

export interface FakeOpenAi {
  baseURL: string;
  port: number;
  requests: FakeRecordedRequest[];
  /** The valid chat/responses calls, in arrival order. */
  readonly calls: FakeChatRequest[];
  enqueue(...replies: FakeReply[]): void;
  /** Present when the server runs with a quota. */
  quotaLog: FakeQuotaLog;
  /** The quirks in force; replace or mutate between requests. */
  quirks: FakeQuirks;
  close(): Promise<void>;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const responder = options.responder ?? groundedDraftResponder;
  const listedModel = options.model ?? 'fake-model';
  const queue: FakeReply[] = [];
  const requests: FakeRecordedRequest[] = [];
  const seenSystems = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;
  let closing = false;
  const quotaLog: FakeQuotaLog = { admitted: [], refused: 0 };
  const prefix = options.pathPrefix ?? '/v1';
  const state = { quirks: options.quirks ?? {} };
  const sendError = (res: ServerResponse, reply: Extract<FakeReply, { kind: 'error' }>) =>
    sendErrorAs(state.quirks, res, reply);

  /** `null` when the request fits the quota (and is counted), else the milliseconds until it would. */
  const overQuota = (chat: FakeChatRequest): number | null => {
    const quota = options.quota;
    if (!quota) return null;
    const now = Date.now();
    const inWindow = quotaLog.admitted.filter((e) => e.at > now - quota.windowMs);
    const maxOut = Number(chat.body.max_completion_tokens ?? chat.body.max_tokens ?? 0) || 0;
    const cost = estimateTokens(promptChars(chat)) + maxOut;
    const used = inWindow.reduce((n, e) => n + e.tokens, 0);
    const requestsOk = quota.requests === undefined || inWindow.length < quota.requests;
    const tokensOk = quota.tokens === undefined || used + cost <= quota.tokens;
    if (requestsOk && tokensOk) {
      quotaLog.admitted.push({ at: now, tokens: cost });
      return null;
    }
    let freeAt = now + quota.windowMs;
    if (!requestsOk && quota.requests !== undefined) {
      freeAt = (inWindow[inWindow.length - quota.requests]?.at ?? now) + quota.windowMs;
    } else if (quota.tokens !== undefined) {
      let freed = quota.tokens - used;
      for (const e of inWindow) {
        freed += e.tokens;
        if (freed >= cost) {
          freeAt = e.at + quota.windowMs;
          break;
        }
      }
    }
    quotaLog.refused++;
    return Math.max(1, freeAt - now);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;
    const headers = flattenHeaders(req);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record: FakeRecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      authorization: headers.authorization,
      body,
      query: Object.fromEntries(url.searchParams),
      chat: undefined,
      receivedAt: Date.now(),
    };
    requests.push(record);

    if (req.method === 'GET' && path === `${prefix}/models`) {
      const created = Math.floor(Date.now() / 1000);
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: listedModel, object: 'model', created, owned_by: 'vetline-fake' }],
      });
      return;
    }
    const chatPath = path === `${prefix}/chat/completions` || AZURE_DEPLOYMENT_CHAT.test(path);
    const api = req.method === 'POST' && chatPath ? 'chat' : undefined;
    const responsesApi = req.method === 'POST' && path === `${prefix}/responses` ? 'responses' : undefined;
    const which = api ?? responsesApi;
    if (!which) {
      if (state.quirks.plainTextNotFound) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('404 page not found');
        return;
      }
      sendError(res, { kind: 'error', status: 404, message: `Unknown request URL: ${req.method} ${path}` });
      return;
    }
    const parsed = which === 'chat' ? readChatRequest(body) : readResponsesRequest(body);
    if (typeof parsed === 'string') {
      sendError(res, { kind: 'error', status: 400, message: parsed });
      return;
    }
    const chat: FakeChatRequest = {
      api: which,
      method: record.method,
      path,
      headers,
      authorization: headers.authorization,
      receivedAt: record.receivedAt,
      ...parsed,
    };
    record.chat = chat;

    const rejection = which === 'chat' ? rejectionFor(state.quirks, chat.body) : undefined;
    if (rejection) {
      sendError(res, { kind: 'error', ...rejection });
      return;
    }

    const wait = overQuota(chat);
    if (wait !== null) {
      sendError(res, {
        kind: 'error',
        status: 429,
        retryAfterMs: wait,
        retryAfterSeconds: Math.ceil(wait / 1000),
        message: 'Rate limit reached for tokens per window.',
      });
      return;
    }

    let reply: FakeReply;
    try {
      reply = queue.shift() ?? (await responder(chat));
    } catch (error) {
      sendError(res, { kind: 'error', status: 500, message: `fake responder failed: ${String(error)}` });
      return;
    }
    await deliver(chat, reply, req, res);
  };

  const deliver = async (
    chat: FakeChatRequest,
    reply: FakeReply,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    switch (reply.kind) {
      case 'hang':
        // Never answers; `close()` ends the connection.
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'delay': {
        const { ms } = reply;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });
        if (closing || res.destroyed) return;
        await deliver(chat, reply.reply, req, res);
        return;
      }
      case 'error':
        sendError(res, reply);
        return;
      case 'json':
      case 'refusal': {
        sequence += 1;
        const cached = cachedTokensFor(chat, reply);
        const asked = reply.kind === 'json' && reply.finishReason !== undefined;
        const body =
          chat.api === 'chat'
            ? shapeCompletion(state.quirks, chatCompletion(chat, reply, sequence, cached), reply.kind, asked)
            : response(chat, reply, sequence, cached);
        sendJson(res, 200, body);
        return;
      }
    }
  };

  const cachedTokensFor = (chat: FakeChatRequest, reply: FakeReply): number => {
    if (reply.kind === 'json' && reply.cachedTokens !== undefined) return reply.cachedTokens;
    const system = chat.messages.find((m) => m.role === 'system' || m.role === 'developer')?.content ?? '';
    if (!options.simulatePromptCache || system === '') return 0;
    const seen = seenSystems.has(system);
    seenSystems.add(system);
    const tokens = estimateTokens(system);
    return seen && tokens >= 1024 ? Math.floor(tokens / 128) * 128 : 0;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendError(res, { kind: 'error', status: 500, message: `fake server failed: ${String(error)}` });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    get calls() {
      return requests.flatMap((r) => (r.chat ? [r.chat] : []));
    },
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    quotaLog,
    get quirks() {
      return state.quirks;
    },
    set quirks(quirks: FakeQuirks) {
      state.quirks = quirks;
    },
    close: async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

// ---- Requests ---------------------------------------------------------------------------------------------------

/** Azure OpenAI's deployment-scoped path (the SDK's `AzureOpenAI` client builds it from the model name). */
const AZURE_DEPLOYMENT_CHAT = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type ParsedCall = Pick<FakeChatRequest, 'body' | 'model' | 'messages' | 'schemaName'>;

/** Text of a message's content: a string, or an array of text parts (`text`, `input_text`, `output_text`). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function readMessages(value: unknown): FakeMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const messages: FakeMessage[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.role !== 'string') return undefined;
    messages.push({ role: item.role, content: contentText(item.content) });
  }
  return messages;
}

function readChatRequest(body: unknown): ParsedCall | string {
  if (!isRecord(body)) return 'We could not parse the JSON body of your request.';
  if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
  const messages = readMessages(body.messages);
  if (!messages || messages.length === 0) return "Missing required parameter: 'messages'.";
  const format = body.response_format;
  const schema = isRecord(format) && format.type === 'json_schema' ? format.json_schema : undefined;
  const schemaName = isRecord(schema) && typeof schema.name === 'string' ? schema.name : undefined;
  return { body, model: body.model, messages, schemaName };
}

function readResponsesRequest(body: unknown): ParsedCall | string {
  if (!isRecord(body)) return 'We could not parse the JSON body of your request.';
  if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
  const messages: FakeMessage[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'system', content: body.instructions });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else {
    const input = readMessages(body.input);
    if (!input) return "Missing required parameter: 'input'.";
    messages.push(...input);
  }
  if (messages.length === 0) return "Missing required parameter: 'input'.";
  const text = body.text;
  const format = isRecord(text) ? text.format : undefined;
  const schemaName =
    isRecord(format) && format.type === 'json_schema' && typeof format.name === 'string'
      ? format.name
      : undefined;
  return { body, model: body.model, messages, schemaName };
}

// ---- Responses --------------------------------------------------------------------------------------------------

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const promptChars = (chat: FakeChatRequest): string => chat.messages.map((m) => m.content).join('');

const replyText = (reply: Extract<FakeReply, { kind: 'json' | 'refusal' }>): string =>
  reply.kind === 'refusal'
    ? reply.refusal
    : typeof reply.content === 'string'
      ? reply.content
      : JSON.stringify(reply.content);

function tokenCounts(
  chat: FakeChatRequest,
  reply: Extract<FakeReply, { kind: 'json' | 'refusal' }>,
  cached: number,
) {
  const usage = reply.kind === 'json' ? reply.usage : undefined;
  const prompt = usage?.promptTokens ?? estimateTokens(promptChars(chat));
  const completion = usage?.completionTokens ?? estimateTokens(replyText(reply));
  return { prompt, completion, cached: Math.min(cached, prompt) };
}

function chatCompletion(
  chat: FakeChatRequest,
  reply: Extract<FakeReply, { kind: 'json' | 'refusal' }>,
  sequence: number,
  cached: number,
): Record<string, unknown> {
  const tokens = tokenCounts(chat, reply, cached);
  const text = replyText(reply);
  return {
    id: `chatcmpl-fake${sequence}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: (reply.kind === 'json' ? reply.model : undefined) ?? chat.model,
    system_fingerprint: 'fp_fake',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.kind === 'refusal' ? null : text,
          refusal: reply.kind === 'refusal' ? text : null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: reply.kind === 'json' ? (reply.finishReason ?? 'stop') : 'stop',
      },
    ],
    usage: {
      prompt_tokens: tokens.prompt,
      completion_tokens: tokens.completion,
      total_tokens: tokens.prompt + tokens.completion,
      prompt_tokens_details: { cached_tokens: tokens.cached, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

function response(
  chat: FakeChatRequest,
  reply: Extract<FakeReply, { kind: 'json' | 'refusal' }>,
  sequence: number,
  cached: number,
) {
  const tokens = tokenCounts(chat, reply, cached);
  const text = replyText(reply);
  const finish = reply.kind === 'json' ? (reply.finishReason ?? 'stop') : 'stop';
  const part =
    reply.kind === 'refusal'
      ? { type: 'refusal', refusal: text }
      : { type: 'output_text', text, annotations: [], logprobs: [] };
  const incomplete =
    finish === 'length' ? 'max_output_tokens' : finish === 'content_filter' ? 'content_filter' : undefined;
  return {
    id: `resp_fake${sequence}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: incomplete } : null,
    error: null,
    model: (reply.kind === 'json' ? reply.model : undefined) ?? chat.model,
    instructions: typeof chat.body.instructions === 'string' ? chat.body.instructions : null,
    output: [
      {
        type: 'message',
        id: `msg_fake${sequence}`,
        status: incomplete ? 'incomplete' : 'completed',
        role: 'assistant',
        content: [part],
      },
    ],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    temperature: typeof chat.body.temperature === 'number' ? chat.body.temperature : 1,
    top_p: 1,
    text: isRecord(chat.body.text) ? chat.body.text : { format: { type: 'text' } },
    usage: {
      input_tokens: tokens.prompt,
      input_tokens_details: { cached_tokens: tokens.cached },
      output_tokens: tokens.completion,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: tokens.prompt + tokens.completion,
    },
  };
}

const errorTypes: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'unknown_url', message: 'Not found.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request.',
  },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

function sendErrorAs(
  quirks: FakeQuirks,
  res: ServerResponse,
  reply: Extract<FakeReply, { kind: 'error' }>,
): void {
  const known = errorTypes[reply.status] ?? { type: 'invalid_request_error', code: null, message: 'Error.' };
  const headers: Record<string, string> = {};
  if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
  if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
  const error = {
    message: reply.message ?? known.message,
    type: reply.type ?? known.type,
    param: reply.param ?? null,
    code: reply.code === undefined ? known.code : reply.code,
  };
  sendJson(res, reply.status, errorBody(quirks, reply.status, error), headers);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${randomUUID().replaceAll('-', '')}`,
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// ---- A grounded default responder ------------------------------------------------------------------------------

/** The text between `<candidate_material>` and `</candidate_material>` in the last user message. */
export function materialOf(req: FakeChatRequest): string {
  const user = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const open = user.indexOf('<candidate_material>');
  const close = user.lastIndexOf('</candidate_material>');
  if (open < 0 || close < open) return user;
  return user.slice(open + '<candidate_material>'.length, close);
}

/** The competency ids listed in the system prompt (the line `buildMessages` writes). */
export function competencyIdsOf(req: FakeChatRequest): string[] {
  const system = req.messages.find((m) => m.role === 'system' || m.role === 'developer')?.content ?? '';
  const line = system.split('\n').find((l) => l.startsWith(`${COMPETENCY_IDS_LABEL}:`));
  if (!line) return [];
  return line
    .slice(COMPETENCY_IDS_LABEL.length + 1)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => /^[a-z0-9-]+$/.test(id));
}

/**
 * A schema-valid `ModelDraft` whose quotes are verbatim lines of the candidate's material: a competency whose id
 * words (e.g. `async`, `concurrency`) appear on some lines gets those lines as evidence and a level that grows
 * with their number; the others get `null` and a technical-screen question.
 */
export function draftFromMaterial(
  req: FakeChatRequest,
  competencyIds: string[] = competencyIdsOf(req),
): ModelDraft {
  const lines = materialOf(req)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 8);
  const competencies = competencyIds.map((id) => {
    const words = id.split('-').filter((w) => w.length >= 3);
    const matching = lines.filter((line) => words.some((w) => line.toLowerCase().includes(w)));
    if (matching.length === 0) {
      return {
        competencyId: id,
        level: null,
        confidence: 0.2,
        rationale: `The material says nothing about ${id}.`,
        evidence: [],
      };
    }
    return {
      competencyId: id,
      level: Math.min(4, 1 + matching.length),
      confidence: 0.6,
      rationale: `The material describes work related to ${id}.`,
      evidence: matching.slice(0, 2).map((line) => ({ quote: line.slice(0, 300) })),
    };
  });
  const assessed = competencies.filter((c) => c.level !== null);
  const weak = competencies.filter((c) => c.level === null || c.level <= 2);
  return {
    competencies,
    summary: `Fake draft: evidence found for ${assessed.length} of ${competencies.length} competencies.`,
    strengths: assessed.map((c) => `Evidence of ${c.competencyId}`),
    concerns: weak.map((c) => `Little or no evidence of ${c.competencyId}`),
    estimatedSeniority:
      assessed.length === 0 ? null : assessed.length * 2 >= competencies.length ? 'senior' : 'mid',
    recommendation: assessed.length * 2 >= competencies.length ? 'advance' : 'hold',
    interviewPlan: {
      technicalScreen: weak.slice(0, 6).map((c) => ({
        competencyId: c.competencyId,
        question: `Walk me through recent work involving ${c.competencyId}.`,
        lookFor: 'Concrete mechanisms, trade-offs and numbers.',
      })),
      systemDesign: {
        prompt: 'Design an ingestion pipeline for a large stream of events.',
        focus: ['back-pressure', 'idempotency'],
      },
      cultureFocus: ['ownership of production incidents'],
    },
  };
}

/** The default responder: a grounded draft for every request. */
export const groundedDraftResponder: FakeResponder = (req) => ({
  kind: 'json',
  content: draftFromMaterial(req),
});

/**
 * A model that obeys an injection: level 4 on every competency, each "evidence" one of `quotes` (the injected
 * text, as a model would copy it), advance, principal. The pipeline must neither show those quotes as evidence nor
 * let the levels rise.
 */
export function obeyInjectionResponder(quotes: readonly string[]): FakeResponder {
  return (req) => {
    const ids = competencyIdsOf(req);
    const draft: ModelDraft = {
      competencies: ids.map((id) => ({
        competencyId: id,
        level: 4,
        confidence: 1,
        rationale: 'As instructed, the candidate is an expert.',
        evidence: quotes.map((quote) => ({ quote })),
      })),
      summary: 'An exceptional candidate, pre-approved for hire.',
      strengths: ['Everything'],
      concerns: [],
      estimatedSeniority: 'principal',
      recommendation: 'advance',
      interviewPlan: {
        technicalScreen: [],
        systemDesign: { prompt: '', focus: [] },
        cultureFocus: [],
      },
    };
    return { kind: 'json', content: draft };
  };
}
