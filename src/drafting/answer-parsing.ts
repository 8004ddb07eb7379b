import { z } from 'zod';
import { ModelDraft, type TokenUsage } from '../assessment/assessment';
import { extraKeys } from './extra-keys';
import { type AnswerWrapping, extractJsonObjects } from './json-extraction';

/**
 * Reading a chat completion as OpenAI-compatible servers actually send it. The SDK types the answer but does not
 * check it, and servers differ: `usage` missing, `null` or without `prompt_tokens_details`; `model` missing or
 * empty; `finish_reason` null or `eos`; `content` an array of parts (Mistral); reasoning in `content` as a
 * `<think>` block or in a separate `reasoning_content`/`reasoning` field (vLLM, llama.cpp, Ollama); no `refusal`.
 * The wire shape is parsed leniently with zod (a field of the wrong type counts as absent), never cast.
 */

const count = z.number().int().nonnegative().optional().catch(undefined);
const text = z.string().nullable().optional().catch(undefined);

const WireUsage = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count }).nullable().optional().catch(undefined),
});

const WirePart = z.object({ type: z.string().optional().catch(undefined), text: text });

const WireMessage = z.object({
  content: z
    .union([z.string(), z.array(z.unknown())])
    .nullable()
    .optional()
    .catch(undefined),
  refusal: text,
  reasoning_content: text,
  reasoning: text,
});

const WireCompletion = z.object({
  model: text,
  choices: z
    .array(z.object({ message: WireMessage.optional().catch(undefined), finish_reason: text }))
    .optional()
    .catch(undefined),
  usage: WireUsage.nullable().optional().catch(undefined),
});

export interface Answer {
  /** Whether the response had a first choice at all. */
  hasChoice: boolean;
  /** The assistant's text: the string content, or the text parts joined; '' when there is none. */
  text: string;
  refusal: string | null;
  finish: string | null;
  /** The model the server says answered; `null` when it names none. */
  model: string | null;
  /** `null` when the server reported no token counts: unknown, not zero. */
  usage: TokenUsage | null;
  /** Reasoning the server returned beside the answer (a separate field or `thinking` parts); never parsed. */
  reasoningChars: number;
}

/** Parts that carry the answer; `thinking`/`reasoning` parts and anything unknown are left out. */
const ANSWER_PARTS = new Set(['text', 'output_text']);

export function readAnswer(completion: unknown): Answer {
  const wire = WireCompletion.safeParse(completion);
  const data = wire.success ? wire.data : {};
  const choice = data.choices?.[0];
  const message = choice?.message;
  let answer = '';
  let reasoningChars = (message?.reasoning_content ?? message?.reasoning ?? '').length;
  if (typeof message?.content === 'string') answer = message.content;
  else if (Array.isArray(message?.content)) {
    for (const raw of message.content) {
      const part = WirePart.safeParse(raw);
      if (!part.success) continue;
      const type = part.data.type ?? 'text';
      if (ANSWER_PARTS.has(type)) answer += part.data.text ?? '';
      else reasoningChars += JSON.stringify(raw).length;
    }
  }
  return {
    hasChoice: choice !== undefined,
    text: answer,
    refusal: message?.refusal ? message.refusal : null,
    finish: choice?.finish_reason ?? null,
    model: data.model ? data.model : null,
    usage: usageOf(data.usage ?? null),
    reasoningChars,
  };
}

function usageOf(u: z.infer<typeof WireUsage> | null): TokenUsage | null {
  if (!u) return null;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = u;
  if (prompt === undefined && completion === undefined && total === undefined) return null;
  const promptTokens = prompt ?? 0;
  const completionTokens = completion ?? 0;
  return {
    promptTokens,
    cachedPromptTokens: Math.min(promptTokens, u.prompt_tokens_details?.cached_tokens ?? 0),
    completionTokens,
    totalTokens: total ?? promptTokens + completionTokens,
  };
}

// ---- From the answer to a draft -------------------------------------------------------------------------------

/** An answer longer than this is not a draft, whatever it parses to. */
const MAX_ANSWER_CHARS = 200_000;
const MAX_ISSUES_NAMED = 6;
/** Finish reasons that mean "cut off at the output limit" (`max_tokens`: Anthropic-style proxies). */
const TRUNCATED = new Set(['length', 'max_tokens']);

export type Reading =
  | { ok: true; draft: ModelDraft; extra: string[]; wrapping: AnswerWrapping[] }
  | { ok: false; refused: true; reason: string }
  | { ok: false; refused: false; problem: string; answer: string };

export function readDraft(answer: Answer): Reading {
  if (!answer.hasChoice)
    return { ok: false, refused: false, problem: 'the response had no choices', answer: '' };
  if (answer.refusal) return { ok: false, refused: true, reason: answer.refusal };
  if (answer.finish === 'content_filter') {
    return { ok: false, refused: true, reason: "the provider's content filter stopped the answer" };
  }
  const raw = answer.text;
  if (raw.length > MAX_ANSWER_CHARS) {
    return {
      ok: false,
      refused: false,
      answer: raw.slice(0, 2_000),
      problem: `the answer was ${raw.length} characters long, far more than a draft needs. Answer again, concisely`,
    };
  }
  if (answer.finish !== null && TRUNCATED.has(answer.finish)) {
    return {
      ok: false,
      refused: false,
      answer: raw,
      problem:
        'the answer was cut off at the output token limit. Answer again, complete and more concise: shorter ' +
        'rationales and at most two quotes per competency',
    };
  }
  if (raw.trim() === '') {
    const aside =
      answer.reasoningChars > 0
        ? ` (the server returned ${answer.reasoningChars} characters of reasoning in a separate field but no final answer)`
        : '';
    return { ok: false, refused: false, problem: `the answer was empty${aside}`, answer: raw };
  }

  const found = extractJsonObjects(raw);
  if (found.unfinishedReasoning) {
    return {
      ok: false,
      refused: false,
      problem: 'the answer was only an unfinished reasoning block, with no JSON after it',
      answer: '',
    };
  }
  if (found.candidates.length === 0) {
    return {
      ok: false,
      refused: false,
      problem: `the answer was not valid JSON (${jsonError(found.rest)})`,
      answer: raw,
    };
  }
  // The first candidate that is a draft wins; if none is, the largest one's problems are what the repair names.
  let best: { issues: z.core.$ZodIssue[]; size: number } | null = null;
  for (const candidate of found.candidates) {
    const parsed = ModelDraft.safeParse(candidate.value);
    if (parsed.success) {
      return {
        ok: true,
        draft: parsed.data,
        extra: extraKeys(candidate.value, parsed.data),
        wrapping: candidate.wrapping,
      };
    }
    const size = JSON.stringify(candidate.value).length;
    if (!best || size > best.size) best = { issues: parsed.error.issues, size };
  }
  const issues = (best?.issues ?? [])
    .slice(0, MAX_ISSUES_NAMED)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const more = (best?.issues.length ?? 0) > MAX_ISSUES_NAMED ? '; and more' : '';
  return {
    ok: false,
    refused: false,
    problem: `the answer did not match the schema (${issues.join('; ')}${more})`,
    answer: raw,
  };
}

function jsonError(rest: string): string {
  try {
    JSON.parse(rest);
    return 'no JSON object in it';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
