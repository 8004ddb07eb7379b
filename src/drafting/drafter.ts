import type { ModelDraft, TokenUsage } from '../assessment/assessment';
import type { PromptTemplate } from '../prompting/prompt-template';
import type { Rubric } from '../rubric/rubric';

/**
 * The LLM port. Two adapters: `OpenAiDrafter` (any OpenAI-compatible endpoint through the `openai` SDK) and
 * `OfflineDrafter` (deterministic rubric-signal rules, the embedded default when no LLM is configured).
 * A drafter returns the raw draft; grounding, flags and provenance are added by the pipeline, the same way for both.
 */
export interface DraftRequest {
  /** The candidate's material as the model may see it (extracted text; later: redacted, hidden text removed). */
  text: string;
  rubric: Rubric;
  template: PromptTemplate;
  /** For logs and request metadata only; never sent as part of the prompt. */
  screeningId: string;
}

export interface DraftResult {
  draft: ModelDraft;
  drafter: 'llm' | 'offline';
  model: string;
  temperature: number | null;
  /** sha256 of what was sent (LLM) or of the rules that ran (offline). */
  promptHash: string;
  usage: TokenUsage;
  samples: number;
  /** sha256 of the first request's messages exactly as sent; absent offline. */
  requestHash?: string;
  /** Things the pipeline should tell the reviewer about how the answer was obtained (repairs, dropped fields). */
  notes?: DraftNote[];
  /** How the endpoint was asked for JSON: a strict schema, JSON mode or nothing (LLM only; see request-compat.ts). */
  structuredOutput?: 'json_schema' | 'json_object' | 'none';
  /** `false` when the endpoint reported no token usage: `usage` is then 0 because unknown, not because free. */
  usageReported?: boolean;
  /** What was removed around the JSON in the answer (code fence, reasoning block...); empty for bare JSON. */
  answerWrapping?: string[];
}

export interface DraftNote {
  code: 'repaired_output' | 'extra_fields' | 'unconstrained_output' | 'usage_unknown';
  message: string;
}

export interface Drafter {
  readonly kind: 'llm' | 'offline';
  draft(request: DraftRequest, signal?: AbortSignal): Promise<DraftResult>;
}

export const zeroUsage = (): TokenUsage => ({
  promptTokens: 0,
  cachedPromptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
});

/**
 * A draft that could not be produced. `retryable` says whether queueing the screening again may help (provider
 * down, rate limited, timed out) or not (the model keeps answering garbage for this input).
 */
export type DraftFailureCode =
  | 'llm_rate_limited'
  | 'llm_unavailable'
  | 'llm_timeout'
  | 'llm_auth'
  | 'llm_bad_request'
  | 'llm_invalid_output'
  | 'llm_refused'
  /** 404: the URL or the model is wrong (the message names the URL called and the likely fix). */
  | 'llm_not_found';

export class DraftError extends Error {
  override readonly name = 'DraftError';
  readonly code: DraftFailureCode;
  readonly retryable: boolean;

  constructor(code: DraftFailureCode, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable;
  }
}
