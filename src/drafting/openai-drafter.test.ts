import { readFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI, { APIUserAbortError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeChatRequest,
  type FakeOpenAi,
  type FakeReply,
  startFakeOpenAi,
} from '../../tests/support/fake-openai-server';
import type { ModelDraft } from '../assessment/assessment';
import type { LlmConfig } from '../core/config';
import { buildMessages } from '../prompting/build-messages';
import { type PromptTemplate, parsePromptTemplate } from '../prompting/prompt-template';
import { parseRubric, promptsDir, type Rubric } from '../rubric/rubric';
import { DraftError, type DraftRequest } from './drafter';
import { OpenAiDrafter } from './openai-drafter';

const API_KEY = 'sk-test-5f3a9c1e7b2d4068';

const level = (n: number, label: string) =>
  `      - { level: ${n}, label: ${label}, anchor: Anchor for level ${n}. }`;
const levels = ['none', 'exposure', 'working', 'senior', 'expert'].map((l, n) => level(n, l)).join('\n');
const rubric: Rubric = parseRubric(
  `
id: tiny
version: 1.0.0
title: Tiny rubric
kind: resume
description: Two competencies, enough to exercise the drafter.
competencies:
  - id: async-concurrency
    name: Async and concurrency
    description: asyncio, event loops, I/O-bound work.
    levels:
${levels}
    signals:
      - { id: asyncio, pattern: asyncio, suggests: 2, description: Built services on asyncio }
  - id: web-apis
    name: Web APIs
    description: Django, DRF, FastAPI.
    levels:
${levels}
    signals:
      - { id: fastapi, pattern: fastapi, suggests: 2, description: Shipped a FastAPI service }
`,
  'inline',
);

const resumeA =
  'Senior engineer\n- Built an asyncio ingestion service handling 40k events/s\n- Owned web APIs in FastAPI\n';
const resumeB = 'Backend developer\n- Maintained Django REST Framework web apis for billing\n';

let template: PromptTemplate;
let fake: FakeOpenAi;

beforeAll(async () => {
  const file = path.join(promptsDir(), 'templates', 'resume-screen.yaml');
  template = parsePromptTemplate(await readFile(file, 'utf8'), file);
  fake = await startFakeOpenAi();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  // Each test reads only its own requests; scripted replies are consumed by the test that queued them.
  fake.requests.length = 0;
});

const config = (overrides: Partial<LlmConfig> = {}): LlmConfig => ({
  apiKey: API_KEY,
  baseURL: fake.baseURL,
  model: 'gpt-test',
  temperature: 0.2,
  timeoutMs: 5_000,
  maxRetries: 0,
  maxOutputTokens: 1_000,
  ...overrides,
});

const request = (text = resumeA): DraftRequest => ({ text, rubric, template, screeningId: 'scr_test' });

/** A valid draft for the tiny rubric, grounded in `resumeA`. */
const validDraft = (): ModelDraft => ({
  competencies: [
    {
      competencyId: 'async-concurrency',
      level: 3,
      confidence: 0.7,
      rationale: 'Owns an asyncio service at scale.',
      evidence: [{ quote: 'Built an asyncio ingestion service handling 40k events/s' }],
    },
    { competencyId: 'web-apis', level: null, confidence: 0.3, rationale: 'Only a mention.', evidence: [] },
  ],
  summary: 'Strong async background.',
  strengths: ['asyncio at scale'],
  concerns: [],
  estimatedSeniority: 'senior',
  recommendation: 'hold',
  interviewPlan: {
    technicalScreen: [
      { competencyId: 'web-apis', question: 'How did you version the API?', lookFor: 'Specifics.' },
    ],
    systemDesign: { prompt: 'Design an ingestion pipeline.', focus: ['back-pressure'] },
    cultureFocus: ['ownership'],
  },
});

const json = (content: unknown, extra: Partial<Extract<FakeReply, { kind: 'json' }>> = {}): FakeReply => ({
  kind: 'json',
  content,
  ...extra,
});

const failure = async (promise: Promise<unknown>): Promise<DraftError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DraftError) return error;
    throw error;
  }
  throw new Error('expected the draft to fail');
};

const calls = (): FakeChatRequest[] => fake.calls;

describe('OpenAiDrafter', () => {
  it('drafts through the real SDK with a strict schema, and reports model, temperature and prompt hash', async () => {
    fake.enqueue(json(validDraft(), { model: 'gpt-test-2025-04-14' }));
    const result = await new OpenAiDrafter(config()).draft(request());

    expect(result.draft).toEqual(validDraft());
    expect(result).toMatchObject({
      drafter: 'llm',
      model: 'gpt-test-2025-04-14',
      temperature: 0.2,
      samples: 1,
    });
    expect(result.promptHash).toBe(buildMessages(template, rubric, resumeA).promptHash);

    const [call] = calls();
    expect(calls()).toHaveLength(1);
    expect(call?.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call?.schemaName).toBe('assessment_draft');
    expect(call?.body).toMatchObject({
      model: 'gpt-test',
      temperature: 0.2,
      max_completion_tokens: 1_000,
      response_format: { type: 'json_schema', json_schema: { name: 'assessment_draft', strict: true } },
    });
    expect(call?.body).not.toHaveProperty('max_tokens');
    expect(call?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(call?.messages[1]?.content).toContain(resumeA.trim());
  });

  it('falls back to the configured model when the response names none', async () => {
    fake.enqueue(json(validDraft(), { model: '' }));
    const result = await new OpenAiDrafter(config({ model: 'configured-model' })).draft(request());
    expect(result.model).toBe('configured-model');
  });

  it('drafts grounded answers from the default responder end to end', async () => {
    const result = await new OpenAiDrafter(config()).draft(request(resumeB));
    expect(result.draft.competencies.map((c) => c.competencyId)).toEqual(['async-concurrency', 'web-apis']);
    for (const c of result.draft.competencies) for (const e of c.evidence) expect(resumeB).toContain(e.quote);
    expect(result.draft.competencies[1]?.level).not.toBeNull();
  });

  it('reports usage, cached prompt tokens included', async () => {
    fake.enqueue(
      json(validDraft(), { usage: { promptTokens: 2000, completionTokens: 300 }, cachedTokens: 1792 }),
    );
    const result = await new OpenAiDrafter(config()).draft(request());
    expect(result.usage).toEqual({
      promptTokens: 2000,
      cachedPromptTokens: 1792,
      completionTokens: 300,
      totalTokens: 2300,
    });
  });

  it('sends a byte-identical system message for two different resumes', async () => {
    const drafter = new OpenAiDrafter(config());
    fake.enqueue(json(validDraft()), json(validDraft()));
    const a = await drafter.draft(request(resumeA));
    const b = await drafter.draft(request(resumeB));

    const [first, second] = calls();
    expect(first?.messages[0]?.content).toBe(second?.messages[0]?.content);
    expect(first?.messages[1]?.content).not.toBe(second?.messages[1]?.content);
    expect(a.promptHash).toBe(b.promptHash);
  });

  it('uses an injected client as is', async () => {
    const client = new OpenAI({ apiKey: 'sk-injected-client-key', baseURL: fake.baseURL, maxRetries: 0 });
    fake.enqueue(json(validDraft()));
    await new OpenAiDrafter(config({ apiKey: 'unused', baseURL: 'http://127.0.0.1:9/v1' }), client).draft(
      request(),
    );
    expect(calls()[0]?.authorization).toBe('Bearer sk-injected-client-key');
  });

  describe('provider failures', () => {
    it('waits as long as Retry-After asks on a 429, then succeeds', async () => {
      fake.enqueue({ kind: 'error', status: 429, retryAfterSeconds: 1 }, json(validDraft()));
      const started = Date.now();
      const result = await new OpenAiDrafter(config({ maxRetries: 2 })).draft(request());
      const elapsed = Date.now() - started;

      expect(result.draft).toEqual(validDraft());
      expect(calls()).toHaveLength(2);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(3_000);
    });

    it('gives up on a persistent 429 as llm_rate_limited, retryable', async () => {
      fake.enqueue(
        { kind: 'error', status: 429, retryAfterMs: 10 },
        { kind: 'error', status: 429, retryAfterMs: 10 },
      );
      const error = await failure(new OpenAiDrafter(config({ maxRetries: 1 })).draft(request()));
      expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true });
      expect(calls()).toHaveLength(2);
    });

    it('retries two 500s and succeeds on the third attempt', async () => {
      fake.enqueue(
        { kind: 'error', status: 500, retryAfterMs: 10 },
        { kind: 'error', status: 500, retryAfterMs: 10 },
        json(validDraft()),
      );
      const result = await new OpenAiDrafter(config({ maxRetries: 2 })).draft(request());
      expect(result.draft).toEqual(validDraft());
      expect(calls()).toHaveLength(3);
    });

    it('maps a persistent 503 to llm_unavailable, retryable, after the SDK retries', async () => {
      fake.enqueue(
        ...Array.from({ length: 3 }, (): FakeReply => ({ kind: 'error', status: 503, retryAfterMs: 5 })),
      );
      const error = await failure(new OpenAiDrafter(config({ maxRetries: 2 })).draft(request()));
      expect(error).toMatchObject({ code: 'llm_unavailable', retryable: true });
      expect(error.message).toContain('503');
      expect(calls()).toHaveLength(3);
    });

    it('maps a dropped connection to llm_unavailable, retryable', async () => {
      fake.enqueue({ kind: 'drop' });
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error).toMatchObject({ code: 'llm_unavailable', retryable: true });
    });

    it('times out a hanging provider as llm_timeout, retryable', async () => {
      fake.enqueue({ kind: 'hang' });
      const started = Date.now();
      const error = await failure(new OpenAiDrafter(config({ timeoutMs: 300 })).draft(request()));
      expect(error).toMatchObject({ code: 'llm_timeout', retryable: true });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('maps 401 to llm_auth, not retryable, without leaking the key', async () => {
      fake.enqueue({ kind: 'error', status: 401, message: `Incorrect API key provided: ${API_KEY}.` });
      const error = await failure(new OpenAiDrafter(config({ maxRetries: 2 })).draft(request()));
      expect(error).toMatchObject({ code: 'llm_auth', retryable: false });
      expect(error.message).not.toContain(API_KEY);
      expect(error.message).not.toContain('5f3a9c1e');
      expect(error.cause).toBeUndefined();
      expect(calls()).toHaveLength(1);
    });

    it('redacts a masked key echoed by the provider', async () => {
      fake.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided: sk-test-****4068.' });
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error.message).not.toContain('4068');
      expect(error.message).toContain('[redacted]');
    });

    it('maps 400 to llm_bad_request, not retryable', async () => {
      fake.enqueue({
        kind: 'error',
        status: 400,
        message: "Invalid schema for response_format 'assessment_draft'",
      });
      const error = await failure(new OpenAiDrafter(config({ maxRetries: 2 })).draft(request()));
      expect(error).toMatchObject({ code: 'llm_bad_request', retryable: false });
      expect(error.message).toContain('Invalid schema');
      expect(calls()).toHaveLength(1);
    });

    it('lets the caller abort, without turning the abort into a provider failure', async () => {
      fake.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const pending = new OpenAiDrafter(config()).draft(request(), controller.signal);
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    });
  });

  describe('answers that are not a valid draft', () => {
    it('repairs invalid JSON once, sending the bad answer back, and counts both calls in usage', async () => {
      fake.enqueue(
        json('{"competencies": [', { usage: { promptTokens: 1000, completionTokens: 5 }, cachedTokens: 0 }),
        json(validDraft(), { usage: { promptTokens: 1100, completionTokens: 400 }, cachedTokens: 1024 }),
      );
      const result = await new OpenAiDrafter(config()).draft(request());

      expect(result.draft).toEqual(validDraft());
      expect(result.usage).toEqual({
        promptTokens: 2100,
        cachedPromptTokens: 1024,
        completionTokens: 405,
        totalTokens: 2505,
      });
      const repair = calls()[1];
      expect(repair?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(repair?.messages[0]?.content).toBe(calls()[0]?.messages[0]?.content);
      expect(repair?.messages[2]?.content).toBe('{"competencies": [');
      expect(repair?.messages[3]?.content).toMatch(/not valid JSON/);
      expect(repair?.schemaName).toBe('assessment_draft');
    });

    it('gives up after one repair: llm_invalid_output, not retryable', async () => {
      fake.enqueue(json('nope'), json('still nope'));
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error).toMatchObject({ code: 'llm_invalid_output', retryable: false });
      expect(error.message).toMatch(/not valid JSON/);
      expect(calls()).toHaveLength(2);
    });

    it('names an out-of-range level in the repair message', async () => {
      const bad = validDraft();
      const first = bad.competencies[0];
      if (first) first.level = 7;
      fake.enqueue(json(bad), json(validDraft()));
      const result = await new OpenAiDrafter(config()).draft(request());
      expect(result.draft.competencies[0]?.level).toBe(3);
      expect(calls()[1]?.messages[3]?.content).toMatch(/competencies\.0\.level/);
    });

    it('fails on a missing field that the repair does not fix', async () => {
      const { summary: _dropped, ...missing } = validDraft();
      fake.enqueue(json(missing), json(missing));
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error.code).toBe('llm_invalid_output');
      expect(error.message).toMatch(/summary/);
      expect(calls()[1]?.messages[3]?.content).toMatch(/summary/);
    });

    it('drops an extra field rather than spending a repair on it', async () => {
      fake.enqueue(json({ ...validDraft(), hireImmediately: true }));
      const result = await new OpenAiDrafter(config()).draft(request());
      expect(result.draft).toEqual(validDraft());
      expect(result.draft).not.toHaveProperty('hireImmediately');
      expect(calls()).toHaveLength(1);
    });

    it('repairs an empty answer without echoing an empty assistant turn', async () => {
      fake.enqueue(json(''), json(validDraft()));
      const result = await new OpenAiDrafter(config()).draft(request());
      expect(result.draft).toEqual(validDraft());
      expect(calls()[1]?.messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
      expect(calls()[1]?.messages[2]?.content).toMatch(/empty/);
    });

    it('fails on two empty answers', async () => {
      fake.enqueue(json(''), json('   '));
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error).toMatchObject({ code: 'llm_invalid_output', retryable: false });
    });

    it('repairs an answer cut off at the token limit', async () => {
      fake.enqueue(
        json('{"competencies": [{"competencyId": "async', { finishReason: 'length' }),
        json(validDraft()),
      );
      const result = await new OpenAiDrafter(config()).draft(request());
      expect(result.draft).toEqual(validDraft());
      expect(calls()[1]?.messages[3]?.content).toMatch(/cut off/);
    });

    it('fails when the answer is cut off twice', async () => {
      fake.enqueue(
        json(validDraft(), { finishReason: 'length' }),
        json(validDraft(), { finishReason: 'length' }),
      );
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error).toMatchObject({ code: 'llm_invalid_output', retryable: false });
    });

    it('treats a refusal as llm_refused, not retryable, without a repair attempt', async () => {
      fake.enqueue({ kind: 'refusal', refusal: "I can't assess people." });
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error).toMatchObject({ code: 'llm_refused', retryable: false });
      expect(error.message).toContain("I can't assess people.");
      expect(calls()).toHaveLength(1);
    });

    it('treats a content-filter stop as llm_refused', async () => {
      fake.enqueue(json(validDraft(), { finishReason: 'content_filter' }));
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error.code).toBe('llm_refused');
    });

    it('reports llm_refused when the repair turn is refused', async () => {
      fake.enqueue(json('garbage'), { kind: 'refusal', refusal: 'No.' });
      const error = await failure(new OpenAiDrafter(config()).draft(request()));
      expect(error.code).toBe('llm_refused');
      expect(calls()).toHaveLength(2);
    });
  });
});
