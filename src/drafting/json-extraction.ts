/**
 * Finding the JSON object in a model's answer when the server did not constrain the output (JSON mode or plain
 * text) or constrained it loosely: a leading byte-order mark, a `<think>...</think>` reasoning block (DeepSeek-R1,
 * QwQ and Qwen3 served by vLLM, Ollama or llama.cpp without a reasoning parser), a Markdown code fence, prose before
 * or after. No eval: `JSON.parse` on slices chosen by a string-aware brace scanner. The caller validates what is
 * found against the schema and takes the first candidate that passes.
 */

/** What had to be taken away to reach the JSON. */
export type AnswerWrapping = 'bom' | 'reasoning' | 'code_fence' | 'surrounding_text';

export interface JsonCandidate {
  value: Record<string, unknown>;
  /** How this candidate was reached, on top of the answer-wide removals. */
  wrapping: AnswerWrapping[];
}

export interface Extraction {
  candidates: JsonCandidate[];
  /** Removed from the answer as a whole before looking for JSON (byte-order mark, reasoning block). */
  removed: AnswerWrapping[];
  /** The text left once those were removed: what the model actually answered. */
  rest: string;
  /** A reasoning block was opened and never closed: the answer ended while the model was still thinking. */
  unfinishedReasoning: boolean;
}

/** Scanning from more `{` than this is not finding an answer, it is being fed noise. */
const MAX_SCAN_STARTS = 32;
const MAX_CANDIDATES = 8;

const REASONING_TAGS = ['think', 'thinking', 'reasoning'];
const OPEN_REASONING = new RegExp(`^<(${REASONING_TAGS.join('|')})>`, 'i');
const CLOSE_REASONING = new RegExp(`</(${REASONING_TAGS.join('|')})>`, 'i');
const FENCE = /```[ \t]*[\w-]*[ \t]*\r?\n([\s\S]*?)```/g;

export function extractJsonObjects(answer: string): Extraction {
  const removed: AnswerWrapping[] = [];
  let text = answer.trimStart();
  if (text.startsWith('\uFEFF')) {
    text = text.replace(/^(?:\uFEFF\s*)+/, '');
    removed.push('bom');
  }

  const open = OPEN_REASONING.exec(text);
  if (open) {
    const close = new RegExp(`</${open[1]}>`, 'i').exec(text);
    if (!close) return { candidates: [], removed, rest: '', unfinishedReasoning: true };
    text = text.slice(close.index + close[0].length).trimStart();
    removed.push('reasoning');
  } else if (!text.startsWith('{') && !text.startsWith('```')) {
    // DeepSeek-R1's chat template opens `<think>` in the prompt, so the answer carries only the closing tag. Only
    // when the answer does not already start as JSON: a quote inside a bare JSON answer may contain the tag.
    const close = CLOSE_REASONING.exec(text);
    if (close) {
      text = text.slice(close.index + close[0].length).trimStart();
      removed.push('reasoning');
    }
  }

  const candidates: JsonCandidate[] = [];
  const whole = parseObject(text.trim());
  if (whole) {
    candidates.push({ value: whole, wrapping: [] });
    return { candidates, removed, rest: text, unfinishedReasoning: false };
  }

  for (const match of text.matchAll(FENCE)) {
    const value = parseObject((match[1] ?? '').trim());
    if (!value) continue;
    const outside = text.slice(0, match.index) + text.slice((match.index ?? 0) + match[0].length);
    candidates.push({
      value,
      wrapping: outside.trim() === '' ? ['code_fence'] : ['code_fence', 'surrounding_text'],
    });
    if (candidates.length >= MAX_CANDIDATES) break;
  }

  for (const value of balancedObjects(text)) {
    if (candidates.length >= MAX_CANDIDATES) break;
    // The same object found inside a fence above is not a second candidate.
    if (candidates.some((c) => sameJson(c.value, value))) continue;
    candidates.push({ value, wrapping: ['surrounding_text'] });
  }
  return { candidates, removed, rest: text, unfinishedReasoning: false };
}

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The top-level `{...}` objects that parse, in order: from each `{`, the matching `}` counted outside JSON strings
 * (with their escapes). A span that does not parse is skipped one character at a time, so an object after a stray
 * `{` in prose is still found; one that does is stepped over whole, so its nested objects are never offered alone.
 */
export function* balancedObjects(text: string): Generator<Record<string, unknown>> {
  let from = 0;
  for (let starts = 0; starts < MAX_SCAN_STARTS; starts++) {
    const start = text.indexOf('{', from);
    if (start < 0) return;
    const end = matchingBrace(text, start);
    const value = end < 0 ? null : parseObject(text.slice(start, end + 1));
    if (value) yield value;
    from = value ? end + 1 : start + 1;
  }
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x7b /* { */) depth++;
    else if (ch === 0x7d /* } */) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
