import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAi,
  groundedDraftResponder,
  startFakeOpenAi,
} from '../../tests/support/fake-openai-server';
import type { ModelDraft } from '../assessment/assessment';
import type { LlmConfig, LlmLimits } from '../core/config';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { DraftError } from './drafter';
import { OpenAiDrafter } from './openai-drafter';
import { retryAfterMs } from './provider-retry';

// Provider discipline over real loopback HTTP: the fake server enforces a quota the way a provider does, and the
// drafter's own limiter, retries and Retry-After handling are what keep it inside.
const rubric = await loadRubric('senior-python-backend');
const template = await loadPromptTemplate('resume-screen');
const text = '- Designed an asyncio ingestion service handling 40k events per second.\n- Built Django APIs.';
let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const config = (
  baseURL: string,
  limits: Partial<LlmLimits> = {},
  overrides: Partial<LlmConfig> = {},
): LlmConfig => ({
  apiKey: 'sk-test-discipline',
  baseURL,
  model: 'gpt-test',
  temperature: 0.2,
  timeoutMs: 5_000,
  maxRetries: 3,
  maxOutputTokens: 500,
  limits: {
    requestsPerWindow: 0,
    tokensPerWindow: 0,
    windowMs: 1_000,
    retryBaseMs: 20,
    retryMaxWaitMs: 5_000,
    ...limits,
  },
  ...overrides,
});
const request = { text, rubric, template, screeningId: 'scr_test' };

describe('provider discipline', () => {
  it('keeps inside a request quota with its own limiter: no 429 at all', async () => {
    fake = await startFakeOpenAi({ quota: { windowMs: 500, requests: 3 } });
    // The client's window is set a little longer than the provider's: the provider starts counting on arrival.
    const drafter = new OpenAiDrafter(config(fake.baseURL, { requestsPerWindow: 3, windowMs: 1_000 }));
    await Promise.all(Array.from({ length: 7 }, () => drafter.draft(request)));
    expect(fake.quotaLog.refused).toBe(0);
    expect(fake.quotaLog.admitted).toHaveLength(7);
    expect(drafter.stats).toMatchObject({ attempts: 7, rateLimited: 0 });
  });

  it('without a client-side limit, honours the 429s and their Retry-After and still drafts everything', async () => {
    fake = await startFakeOpenAi({ quota: { windowMs: 400, requests: 2 } });
    const drafter = new OpenAiDrafter(config(fake.baseURL, {}, { maxRetries: 6 }));
    const results = await Promise.all(Array.from({ length: 5 }, () => drafter.draft(request)));
    expect(results).toHaveLength(5);
    expect(fake.quotaLog.refused).toBeGreaterThan(0);
    expect(drafter.stats.rateLimited).toBe(fake.quotaLog.refused);
    expect(fake.quotaLog.admitted).toHaveLength(5);
  });

  it('gives up at once when Retry-After asks for longer than it may wait', async () => {
    fake = await startFakeOpenAi();
    fake.enqueue({ kind: 'error', status: 429, retryAfterSeconds: 120 });
    const drafter = new OpenAiDrafter(config(fake.baseURL, { retryMaxWaitMs: 1_000 }));
    const error = await drafter.draft(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DraftError);
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true });
    expect(fake.calls).toHaveLength(1);
  });

  it('retries a 503 without Retry-After after a jittered backoff, at most maxRetries times', async () => {
    fake = await startFakeOpenAi();
    fake.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'error' as const, status: 503 as const })));
    const drafter = new OpenAiDrafter(config(fake.baseURL, {}, { maxRetries: 2 }));
    await expect(drafter.draft(request)).rejects.toMatchObject({ code: 'llm_unavailable' });
    expect(fake.calls).toHaveLength(3);
    expect(drafter.stats.retries).toBe(2);
  });

  it('reads Retry-After in milliseconds, seconds or as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 7_000)).toBe(3_000);
    expect(retryAfterMs(new Headers({}))).toBeNull();
  });
});

describe('bad answers are visible in what the drafter reports', () => {
  it('notes a repaired answer and the problem it had', async () => {
    fake = await startFakeOpenAi();
    fake.enqueue({ kind: 'json', content: '{"competencies": 7' });
    const result = await new OpenAiDrafter(config(fake.baseURL)).draft(request);
    expect(result.notes).toEqual([expect.objectContaining({ code: 'repaired_output' })]);
    expect(result.notes?.[0]?.message).toMatch(/not valid JSON/);
  });

  it('notes fields the schema does not define', async () => {
    fake = await startFakeOpenAi({
      responder: async (req) => {
        const reply = groundedDraftResponder(req);
        const draft = (reply as { content: ModelDraft }).content;
        return {
          kind: 'json',
          content: { ...draft, hire: true, interviewPlan: { ...draft.interviewPlan, salary: 1 } },
        };
      },
    });
    const result = await new OpenAiDrafter(config(fake.baseURL)).draft(request);
    expect(result.notes?.find((n) => n.code === 'extra_fields')?.message).toMatch(
      /interviewPlan\.salary, hire/,
    );
  });

  it('refuses a huge answer and asks again', async () => {
    fake = await startFakeOpenAi();
    fake.enqueue({ kind: 'json', content: `{"summary": "${'x'.repeat(250_000)}"}` });
    const result = await new OpenAiDrafter(config(fake.baseURL)).draft(request);
    expect(result.notes?.[0]?.message).toMatch(/characters long/);
    expect(fake.calls[1]?.messages[2]?.content.length).toBeLessThanOrEqual(2_000);
  });

  it('fails an answer that just echoes the resume, twice, as invalid output', async () => {
    fake = await startFakeOpenAi();
    fake.enqueue({ kind: 'json', content: text }, { kind: 'json', content: text });
    await expect(new OpenAiDrafter(config(fake.baseURL)).draft(request)).rejects.toMatchObject({
      code: 'llm_invalid_output',
      retryable: false,
    });
  });

  it('records the hash of exactly what was sent', async () => {
    fake = await startFakeOpenAi();
    const drafter = new OpenAiDrafter(config(fake.baseURL));
    const a = await drafter.draft(request);
    const b = await drafter.draft({ ...request, text: `${text}\n- Wrote Kafka consumers.` });
    expect(a.requestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.requestHash).not.toBe(b.requestHash);
    expect(a.promptHash).toBe(b.promptHash);
  });
});
