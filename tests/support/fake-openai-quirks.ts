/**
 * Switchable imitations of what real OpenAI-compatible servers do differently from OpenAI, for the fake server
 * (fake-openai-server.ts). Each one changes what goes over the wire, so the drafter meets them through the real SDK.
 * The messages are the ones those servers send (as reported in their issue trackers and docs), so that the
 * drafter's recognisers are tested against realistic text, not against strings written to match them.
 */

/** A request the server refuses because of one parameter. */
export interface FakeRejection {
  status: 400 | 422 | 500;
  message: string;
  param?: string | null;
  code?: string | null;
  type?: string;
}

export type FakeAnswerWrap = 'bom' | 'think' | 'fence' | 'prose';

export interface FakeQuirks {
  // ---- Requests the server refuses (checked before any scripted reply is used) ----
  /** A request with `response_format: {type: 'json_schema'}`. */
  rejectJsonSchema?: FakeRejection;
  /** A request with `response_format: {type: 'json_object'}`. */
  rejectJsonObject?: FakeRejection;
  /** A request that names `max_completion_tokens`. */
  rejectMaxCompletionTokens?: FakeRejection;
  /** A request that sets `temperature`. */
  rejectTemperature?: FakeRejection;
  /** Unknown paths answered as Ollama (Go's net/http) does: `404 page not found`, text/plain. */
  plainTextNotFound?: boolean;
  /**
   * How error bodies are shaped: OpenAI's `{error: {message, type, param, code}}` (default), vLLM's older top-level
   * `{object: 'error', message, type, param, code}`, FastAPI/pydantic's `{detail: [{loc, msg, type}]}`, or Ollama's
   * `{error: "text"}`.
   */
  errorEnvelope?: 'openai' | 'top-level' | 'detail' | 'string';

  // ---- How answers look (applied to every `json` reply of the chat API) ----
  /** Wrappers around the JSON text, innermost first in this order: fence, prose, think, bom. */
  answerWrap?: FakeAnswerWrap[];
  /** Reasoning returned in a separate message field, as vLLM (`reasoning_content`, later `reasoning`) does. */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** `omit`: no `usage`; `null`: `usage: null`; `no-details`: counts without `*_tokens_details`. */
  usage?: 'full' | 'omit' | 'null' | 'no-details';
  /** `omit`: no `model` in the answer; `empty`: `model: ""`. */
  model?: 'echo' | 'omit' | 'empty';
  /** Replaces `finish_reason` (`null`, `eos`, ...) when the reply did not ask for `length`/`content_filter`. */
  finishReason?: string | null;
  /** `content` as an array of parts (Mistral-style: a `thinking` part, then the text split in two `text` parts). */
  contentAsParts?: boolean;
  /** No `refusal`, `annotations`, `logprobs`, `system_fingerprint` or `service_tier` keys at all. */
  minimalMessage?: boolean;
}

/** Rejections as real servers word them. */
export const knownRejections = {
  /** llama.cpp server before structured outputs (b3xxx, 2024): a 500, not a 400. */
  llamaCppJsonSchema: {
    status: 500,
    type: 'server_error',
    message: 'response_format type must be one of "text" or "json_object", but got: json_schema',
  },
  /** OpenAI with a model that predates structured outputs. */
  openAiJsonSchemaUnsupported: {
    status: 400,
    param: 'response_format',
    code: null,
    message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
  },
  /** Azure OpenAI with an older `api-version`. */
  azureJsonSchemaApiVersion: {
    status: 400,
    message:
      'response_format value as json_schema is enabled only for api versions 2024-08-01-preview and later',
  },
  /** LM Studio: JSON mode is not one of its formats. */
  lmStudioJsonObject: { status: 400, message: "'response_format.type' must be 'json_schema' or 'text'" },
  /** Azure OpenAI with an older `api-version`: the argument is unknown there. */
  azureMaxCompletionTokens: {
    status: 400,
    message: 'Unrecognized request argument supplied: max_completion_tokens',
  },
  /** A pydantic-validated proxy that forbids extra fields (paired with `errorEnvelope: 'detail'`). */
  pydanticMaxCompletionTokens: {
    status: 422,
    param: 'max_completion_tokens',
    message: 'Extra inputs are not permitted',
  },
  /** OpenAI reasoning models (o-series, gpt-5) accept only the default temperature. */
  reasoningModelTemperature: {
    status: 400,
    param: 'temperature',
    code: 'unsupported_value',
    message:
      "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
  },
  // ---- 400s about something else: nothing may be degraded for these ----
  /** OpenAI when the schema itself is wrong: a bug to fix, not a server limitation. */
  openAiInvalidSchema: {
    status: 400,
    param: 'response_format',
    message:
      "Invalid schema for response_format 'assessment_draft': In context=(), 'required' is required to be supplied and to be an array including every key in properties.",
  },
  /** vLLM when the prompt plus the output budget exceed the context: names the parameter, is about length. */
  vllmContextTooLong: {
    status: 400,
    message:
      "'max_tokens' or 'max_completion_tokens' is too large: 4000. This model's maximum context length is 4096 tokens and your request has 5012 input tokens (4000 > 4096 - 5012).",
  },
} satisfies Record<string, FakeRejection>;

/** The quirk rejection that applies to a chat request body, if any. */
export function rejectionFor(quirks: FakeQuirks, body: Record<string, unknown>): FakeRejection | undefined {
  const format = body.response_format;
  const type =
    typeof format === 'object' && format !== null ? (format as { type?: unknown }).type : undefined;
  if (type === 'json_schema' && quirks.rejectJsonSchema) return quirks.rejectJsonSchema;
  if (type === 'json_object' && quirks.rejectJsonObject) return quirks.rejectJsonObject;
  if ('max_completion_tokens' in body && quirks.rejectMaxCompletionTokens)
    return quirks.rejectMaxCompletionTokens;
  if ('temperature' in body && quirks.rejectTemperature) return quirks.rejectTemperature;
  return undefined;
}

/** The error body as the configured envelope shapes it. */
export function errorBody(
  quirks: FakeQuirks,
  status: number,
  error: { message: string; type: string; param: string | null; code: string | null },
): unknown {
  switch (quirks.errorEnvelope ?? 'openai') {
    case 'top-level':
      return { object: 'error', message: error.message, type: error.type, param: error.param, code: status };
    case 'detail':
      return { detail: [{ type: 'value_error', loc: ['body', error.param ?? 'body'], msg: error.message }] };
    case 'string':
      return { error: error.message };
    default:
      return { error };
  }
}

/** Reasoning text with braces in it, so that a careless "first `{`" extraction picks the wrong one. */
export const FAKE_REASONING =
  'The user wants a draft. Plan: map each {competency} to a level, quote lines verbatim, e.g. {"level": 3} ' +
  'only where a line shows it. Then write the JSON.';

export function wrapAnswer(text: string, wraps: readonly FakeAnswerWrap[] = []): string {
  let out = text;
  if (wraps.includes('fence')) out = `\`\`\`json\n${out}\n\`\`\``;
  if (wraps.includes('prose')) {
    out = `Here is the assessment you asked for:\n\n${out}\n\nLet me know if you want {more} detail.`;
  }
  if (wraps.includes('think')) out = `<think>\n${FAKE_REASONING}\n</think>\n\n${out}`;
  if (wraps.includes('bom')) out = `\uFEFF${out}`;
  return out;
}

/**
 * Applies the answer-shape quirks to a chat completion body built the OpenAI way. `asked` says whether the reply
 * itself asked for a particular finish reason (which the quirk then leaves alone).
 */
export function shapeCompletion(
  quirks: FakeQuirks,
  completion: Record<string, unknown>,
  kind: 'json' | 'refusal',
  asked: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...completion };
  const choices = out.choices as Array<Record<string, unknown>>;
  const choice = { ...(choices[0] as Record<string, unknown>) };
  const message = { ...(choice.message as Record<string, unknown>) };
  if (kind === 'json' && typeof message.content === 'string') {
    const text = wrapAnswer(message.content, quirks.answerWrap);
    if (quirks.contentAsParts) {
      const half = Math.floor(text.length / 2);
      message.content = [
        { type: 'thinking', thinking: [{ type: 'text', text: FAKE_REASONING }] },
        { type: 'text', text: text.slice(0, half) },
        { type: 'text', text: text.slice(half) },
      ];
    } else message.content = text;
    if (quirks.reasoningField) message[quirks.reasoningField] = FAKE_REASONING;
    if (quirks.finishReason !== undefined && !asked) choice.finish_reason = quirks.finishReason;
  }
  if (quirks.minimalMessage) {
    delete message.refusal;
    delete message.annotations;
    delete choice.logprobs;
    delete out.system_fingerprint;
    delete out.service_tier;
  }
  choice.message = message;
  out.choices = [choice];
  if (quirks.usage === 'omit') delete out.usage;
  else if (quirks.usage === 'null') out.usage = null;
  else if (quirks.usage === 'no-details') {
    const { prompt_tokens, completion_tokens, total_tokens } = out.usage as Record<string, number>;
    out.usage = { prompt_tokens, completion_tokens, total_tokens };
  }
  if (quirks.model === 'omit') delete out.model;
  else if (quirks.model === 'empty') out.model = '';
  return out;
}
