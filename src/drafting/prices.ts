import { z } from 'zod';
import type { TokenUsage } from '../assessment/assessment';

/**
 * The price table that turns token usage into a cost. Prices are USD per million tokens, keyed by model name or
 * model-name prefix: a response naming `gpt-4.1-mini-2025-04-14` is priced by the longest key it starts with
 * (`gpt-4.1-mini`). `cachedInput` is what a prompt token served from the provider's prompt cache costs.
 *
 * `LLM_PRICES` (JSON) adds or overrides entries, for example
 *   LLM_PRICES='{"gpt-4.1-mini":{"input":0.4,"cachedInput":0.1,"output":1.6},"qwen2.5":{"input":0,"cachedInput":0,"output":0}}'
 * A model that matches no key gets `costUsd: null` (unknown), never a guessed zero.
 */
export const ModelPrice = z.strictObject({
  input: z.number().min(0),
  cachedInput: z.number().min(0),
  output: z.number().min(0),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

export const PriceTable = z.record(z.string().min(1), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

/** OpenAI list prices (USD per 1M tokens) when this table was written; override with LLM_PRICES. */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
};

export class PriceTableError extends Error {
  override readonly name = 'PriceTableError';
}

/** The default table with `raw` (JSON, may be undefined) merged over it. */
export function parsePriceTable(raw: string | undefined): PriceTable {
  if (raw === undefined) return { ...DEFAULT_PRICES };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PriceTableError('not valid JSON');
  }
  const parsed = PriceTable.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PriceTableError(problems.join('; '));
  }
  return { ...DEFAULT_PRICES, ...parsed.data };
}

export function priceFor(table: PriceTable, model: string): ModelPrice | null {
  let best: string | null = null;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === null || key.length > best.length)) best = key;
  }
  return best === null ? null : (table[best] ?? null);
}

/** USD for `usage`, rounded to a millionth of a dollar; `null` when the model has no price. */
export function costOf(table: PriceTable, model: string, usage: TokenUsage): number | null {
  const price = priceFor(table, model);
  if (!price) return null;
  const cached = Math.min(usage.cachedPromptTokens, usage.promptTokens);
  const fresh = usage.promptTokens - cached;
  const usd =
    (fresh * price.input + cached * price.cachedInput + usage.completionTokens * price.output) / 1_000_000;
  return Math.round(usd * 1_000_000) / 1_000_000;
}
