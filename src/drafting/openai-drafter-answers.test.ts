import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../tests/support/fake-openai-server';
import type { LlmConfig } from '../core/config';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import type { DraftRequest } from './drafter';
import { OpenAiDrafter } from './openai-drafter';

// Answers as OpenAI-compatible servers actually shape them, imitated on the wire by the fake server's quirks and
// read through the real SDK: JSON in fences, prose and reasoning, reasoning fields, content as parts, missing usage
// and model, odd finish reasons. (Refused request fields and 404s: openai-drafter-compat.test.ts.)
const rubric = await loadRubric('senior-python-backend');
const template = await loadPromptTemplate('resume-screen');
const text =
  'Senior backend engineer\n- Designed an asyncio ingestion service handling 40k events per second.\n' +
  '- Built Django REST APIs for billing with PostgreSQL.\n';
const request: DraftRequest = { text, rubric, template, screeningId: 'scr_answers' };

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.quirks = {};
});

const config = (overrides: Partial<LlmConfig> = {}): LlmConfig => ({
  apiKey: 'sk-test-answers-9c2a',
  baseURL: fake.baseURL,
  model: 'served-model',
  temperature: 0.2,
  timeoutMs: 5_000,
  maxRetries: 0,
  maxOutputTokens: 1_500,
  ...overrides,
});

describe('answers as real servers shape them', () => {
  const wraps = [
    { quirks: { answerWrap: ['fence'] as const }, wrapping: ['code_fence'] },
    { quirks: { answerWrap: ['fence', 'prose'] as const }, wrapping: ['code_fence', 'surrounding_text'] },
    { quirks: { answerWrap: ['prose'] as const }, wrapping: ['surrounding_text'] },
    { quirks: { answerWrap: ['think'] as const }, wrapping: ['reasoning'] },
    { quirks: { answerWrap: ['bom'] as const }, wrapping: ['bom'] },
    {
      quirks: { answerWrap: ['bom', 'think', 'prose', 'fence'] as const },
      wrapping: ['bom', 'reasoning', 'code_fence', 'surrounding_text'],
    },
  ];
  for (const { quirks, wrapping } of wraps) {
    it(`finds the draft in an answer wrapped as ${quirks.answerWrap.join(' + ')}, without a repair turn`, async () => {
      fake.quirks = { answerWrap: [...quirks.answerWrap] };
      const result = await new OpenAiDrafter(config()).draft(request);
      expect(result.draft.competencies.map((c) => c.competencyId)).toEqual(
        rubric.competencies.map((c) => c.id),
      );
      expect(result.answerWrapping).toEqual(wrapping);
      expect(result.notes?.map((n) => n.code)).not.toContain('repaired_output');
      expect(fake.calls).toHaveLength(1);
    });
  }

  it('ignores reasoning in a separate field and takes the answer from content', async () => {
    fake.quirks = { reasoningField: 'reasoning_content', answerWrap: ['fence'] };
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(result.draft.summary).toMatch(/^Fake draft/);
    expect(fake.calls).toHaveLength(1);
  });

  it('joins content given as an array of parts, skipping the thinking part', async () => {
    fake.quirks = { contentAsParts: true, answerWrap: ['think'] };
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(result.draft.competencies).toHaveLength(rubric.competencies.length);
    expect(fake.calls).toHaveLength(1);
  });

  it('counts usage as unknown when the server omits it, and says so rather than inventing it', async () => {
    for (const usage of ['omit', 'null'] as const) {
      fake.quirks = { usage };
      const result = await new OpenAiDrafter(config()).draft(request);
      expect(result.usage).toEqual({
        promptTokens: 0,
        cachedPromptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
      });
      expect(result.usageReported).toBe(false);
      expect(result.notes?.find((n) => n.code === 'usage_unknown')?.message).toMatch(/no token usage/);
    }
  });

  it('keeps the counts a server reports without prompt_tokens_details', async () => {
    fake.quirks = { usage: 'no-details' };
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(result.usageReported).toBe(true);
    expect(result.usage.promptTokens).toBeGreaterThan(1_000);
    expect(result.usage.cachedPromptTokens).toBe(0);
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);
    expect(result.notes?.map((n) => n.code)).not.toContain('usage_unknown');
  });

  it('names the configured model when the answer has none, or an empty one', async () => {
    for (const model of ['omit', 'empty'] as const) {
      fake.quirks = { model };
      expect((await new OpenAiDrafter(config()).draft(request)).model).toBe('served-model');
    }
  });

  it('accepts a null or unfamiliar finish reason and a message without refusal or annotations', async () => {
    for (const finishReason of [null, 'eos', 'stop_sequence']) {
      fake.quirks = { finishReason, minimalMessage: true };
      const result = await new OpenAiDrafter(config()).draft(request);
      expect(result.draft.competencies).toHaveLength(rubric.competencies.length);
    }
    expect(fake.calls).toHaveLength(3);
  });

  it('repairs, rather than crashes on, an answer that is only unfinished reasoning', async () => {
    fake.enqueue({ kind: 'json', content: '<think>\nWeighing {"level": 2} against', finishReason: 'stop' });
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(result.notes?.find((n) => n.code === 'repaired_output')?.message).toContain(
      'unfinished reasoning',
    );
    expect(fake.calls).toHaveLength(2);
  });
});
