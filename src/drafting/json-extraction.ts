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
  /** What was taken away to reach this candidate; empty for a bare JSON answer. */
  wrapping: AnswerWrapping[];
}

export interface Extraction {
  /** The objects found, most likely first. */
  candidates: JsonCandidate[];
  /** The answer without byte-order mark and opened reasoning block: what the model actually answered. */
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
  // JavaScript counts U+FEFF as white space: `trimStart` removes byte-order marks with the blanks.
  if (/^\s*/.exec(answer)?.[0].includes('\uFEFF')) removed.push('bom');
  let text = answer.trimStart();
  const open = OPEN_REASONING.exec(text);
  if (open) {
    const close = new RegExp(`</${open[1]}>`, 'i').exec(text);
    if (!close) return { candidates: [], rest: '', unfinishedReasoning: true };
    text = text.slice(close.index + close[0].length).trimStart();
    removed.push('reasoning');
  }

  // DeepSeek-R1's chat template opens `<think>` in the prompt, so the answer may carry only the closing tag. The
  // text after it is searched first, then the whole text: a quote inside the JSON may contain the tag too (a resume
  // can say anything), and cutting there must not lose the real object.
  const sections: Array<{ text: string; removed: AnswerWrapping[] }> = [];
  const close = open || text.startsWith('{') ? null : CLOSE_REASONING.exec(text);
  if (close) {
    sections.push({ text: text.slice(close.index + close[0].length), removed: [...removed, 'reasoning'] });
  }
  sections.push({ text, removed });

  const candidates: JsonCandidate[] = [];
  const add = (value: Record<string, unknown>, wrapping: AnswerWrapping[]) => {
    if (candidates.length >= MAX_CANDIDATES || candidates.some((c) => sameJson(c.value, value))) return;
    candidates.push({ value, wrapping });
  };
  for (const section of sections) {
    const whole = parseObject(section.text.trim());
    if (whole) {
      add(whole, section.removed);
      continue;
    }
    for (const match of section.text.matchAll(FENCE)) {
      const value = parseObject((match[1] ?? '').trim());
      if (!value) continue;
      const outside =
        section.text.slice(0, match.index) + section.text.slice((match.index ?? 0) + match[0].length);
      add(value, [
        ...section.removed,
        'code_fence',
        ...(outside.trim() === '' ? [] : ['surrounding_text' as const]),
      ]);
    }
    for (const value of balancedObjects(section.text)) add(value, [...section.removed, 'surrounding_text']);
  }
  return { candidates, rest: text, unfinishedReasoning: false };
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
