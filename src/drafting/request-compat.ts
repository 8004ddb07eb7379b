import { APIError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { ModelDraft } from '../assessment/assessment';

/**
 * What the drafter asks of the server, and how it steps down when a server refuses part of it. OpenAI-compatible
 * servers differ in three request fields that matter here:
 * - `response_format` of type `json_schema`: older llama.cpp builds refuse it (with a 500), so do older Azure
 *   api-versions, models that predate structured outputs and some proxies; then `json_object` is tried (the schema
 *   is in the prompt already), and then no `response_format` at all.
 * - `max_completion_tokens`: older Azure api-versions and strict proxies reject the argument; `max_tokens` it is.
 * - `temperature`: reasoning models accept only their default; then it is not sent.
 * Each step is taken once per drafter and remembered, so a server costs one refused call, not one per screening.
 * Only a refusal that names the field and says it is unsupported moves a step: a 400 about anything else (a bad
 * schema, a prompt too long for the context) is a failure to report, not a reason to send less.
 */

export type StructuredOutput = 'json_schema' | 'json_object' | 'none';
export type StructuredOutputSetting = 'auto' | StructuredOutput;

export interface RequestShape {
  structuredOutput: StructuredOutput;
  tokenLimit: 'max_completion_tokens' | 'max_tokens';
  sendTemperature: boolean;
}

export type CompatFeature = 'response_format' | 'max_completion_tokens' | 'temperature';

export interface Adjustment {
  feature: CompatFeature;
  /** The server's own words, shortened. */
  reason: string;
}

/** Computed once: the strict JSON schema for structured outputs, also what grammar-constrained servers decode. */
const jsonSchemaFormat = zodResponseFormat(ModelDraft, 'assessment_draft');

const NEXT_FORMAT: Record<StructuredOutput, StructuredOutput | null> = {
  json_schema: 'json_object',
  json_object: 'none',
  none: null,
};

export class RequestCompat {
  private shape: RequestShape;
  private readonly mayDegradeFormat: boolean;
  /** Every step taken, in order, with the server's reason. */
  readonly adjustments: Adjustment[] = [];

  constructor(setting: StructuredOutputSetting = 'auto') {
    this.mayDegradeFormat = setting === 'auto';
    this.shape = {
      structuredOutput: setting === 'auto' ? 'json_schema' : setting,
      tokenLimit: 'max_completion_tokens',
      sendTemperature: true,
    };
  }

  current(): RequestShape {
    return { ...this.shape };
  }

  /** The servers' refusals of each output format stepped down from, in order (empty when none was refused). */
  formatRefusals(): string[] {
    return this.adjustments.filter((a) => a.feature === 'response_format').map((a) => a.reason);
  }

  /**
   * Whether `error`, the answer to a request sent with `sent`, is a refusal that a different request avoids. The
   * shape is stepped (unless a concurrent request already did) and `true` means "send again with `current()`".
   */
  adjust(error: unknown, sent: RequestShape): boolean {
    const feature = refusedFeature(error, sent);
    if (!feature) return false;
    const reason = shortReason(error);
    switch (feature) {
      case 'response_format': {
        if (this.shape.structuredOutput !== sent.structuredOutput) return true;
        const next = this.mayDegradeFormat ? NEXT_FORMAT[sent.structuredOutput] : null;
        if (!next) return false;
        this.shape.structuredOutput = next;
        break;
      }
      case 'max_completion_tokens':
        if (this.shape.tokenLimit !== sent.tokenLimit) return true;
        this.shape.tokenLimit = 'max_tokens';
        break;
      case 'temperature':
        if (!this.shape.sendTemperature) return true;
        this.shape.sendTemperature = false;
        break;
    }
    this.adjustments.push({ feature, reason });
    return true;
  }
}

export function requestBody(
  shape: RequestShape,
  base: {
    model: string;
    messages: ChatCompletionMessageParam[];
    temperature: number;
    maxOutputTokens: number;
  },
): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = { model: base.model, messages: base.messages };
  if (shape.structuredOutput === 'json_schema') body.response_format = jsonSchemaFormat;
  else if (shape.structuredOutput === 'json_object') body.response_format = { type: 'json_object' };
  if (shape.sendTemperature) body.temperature = base.temperature;
  // `max_completion_tokens`, not the deprecated `max_tokens`, by default: OpenAI's reasoning models reject
  // `max_tokens`, and OpenAI, Azure OpenAI (recent api-versions), vLLM and llama.cpp honour the new name; Ollama and
  // LM Studio ignore it. Never both: that breaks the reasoning models again.
  if (shape.tokenLimit === 'max_completion_tokens') body.max_completion_tokens = base.maxOutputTokens;
  else body.max_tokens = base.maxOutputTokens;
  return body;
}

/** Wording of "this server does not take that", across OpenAI, Azure, llama.cpp, LM Studio, TGI and pydantic. */
const UNSUPPORTED =
  /not supported|unsupported|does(?: not|n't) support|must be (?:one of|['"]?(?:text|json))|enabled only|only (?:the default|supported|available)|unknown (?:variant|field|parameter|argument)|unrecognized|not (?:allowed|permitted|available|implemented|enabled)|extra inputs|extra_forbidden|can be specified, but not both|must contain the word/i;
/** A request too long for the model mentions the token parameters too; it is not about support. */
const ABOUT_LENGTH = /too large|context length|maximum context|exceeds?|too long|reduce the length/i;

const FORMAT_WORDS = /response_format|json[_ ]?schema|json_object|structured output|guided_json/i;

function refusedFeature(error: unknown, sent: RequestShape): CompatFeature | null {
  if (!(error instanceof APIError)) return null;
  const status = error.status ?? 0;
  const words = serverWords(error);
  const param = typeof error.param === 'string' ? error.param : '';
  const unsupported = UNSUPPORTED.test(words) && !ABOUT_LENGTH.test(words);
  const names = (field: string, pattern: RegExp) => param.startsWith(field) || pattern.test(words);
  // llama.cpp answers an unknown response_format type with a 500: accepted here only because it names the field.
  if ((status === 400 || status === 422 || status === 500) && sent.structuredOutput !== 'none') {
    if (names('response_format', FORMAT_WORDS) && unsupported && !/invalid schema/i.test(words)) {
      return 'response_format';
    }
  }
  if (status !== 400 && status !== 422) return null;
  if (
    sent.tokenLimit === 'max_completion_tokens' &&
    unsupported &&
    names('max_completion_tokens', /max_completion_tokens/)
  ) {
    return 'max_completion_tokens';
  }
  if (sent.sendTemperature && unsupported && names('temperature', /\btemperature\b/i)) return 'temperature';
  return null;
}

/** The error's message and structured body as one searchable string (the SDK keeps them apart). */
function serverWords(error: APIError): string {
  const body = error.error === undefined ? '' : JSON.stringify(error.error);
  return `${error.message} ${body}`.slice(0, 2_000);
}

/** A short, single-line form of a server's refusal, for notes and reports. */
export function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 240);
}
