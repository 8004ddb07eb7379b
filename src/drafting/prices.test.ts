import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../core/config';
import { costOf, DEFAULT_PRICES, parsePriceTable, priceFor } from './prices';

describe('the price table', () => {
  it('prices a dated model name by its longest matching prefix, cached tokens at the cached rate', () => {
    expect(priceFor(DEFAULT_PRICES, 'gpt-4.1-mini-2025-04-14')).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
    const usage = { promptTokens: 3000, cachedPromptTokens: 2048, completionTokens: 800, totalTokens: 3800 };
    // (952 * 0.4 + 2048 * 0.1 + 800 * 1.6) / 1e6
    expect(costOf(DEFAULT_PRICES, 'gpt-4.1-mini-2025-04-14', usage)).toBe(0.001866); // rounded to a millionth of a dollar
  });

  it('says unknown (null) for a model without a price, never zero', () => {
    expect(
      costOf(DEFAULT_PRICES, 'qwen2.5:14b', {
        promptTokens: 1,
        cachedPromptTokens: 0,
        completionTokens: 1,
        totalTokens: 2,
      }),
    ).toBeNull();
  });

  it('merges LLM_PRICES over the defaults and rejects a malformed table, naming the variable', () => {
    const config = loadConfig({ LLM_PRICES: '{"qwen2.5":{"input":0,"cachedInput":0,"output":0}}' });
    expect(config.drafting.prices['qwen2.5']).toEqual({ input: 0, cachedInput: 0, output: 0 });
    expect(config.drafting.prices['gpt-4o']).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(() => loadConfig({ LLM_PRICES: '{"m":{"input":-1}}' })).toThrow(ConfigError);
    expect(() => loadConfig({ LLM_PRICES: 'nope' })).toThrow(/LLM_PRICES/);
    expect(() => parsePriceTable('{"m":{"input":1,"cachedInput":1,"output":1,"extra":2}}')).toThrow();
  });
});
