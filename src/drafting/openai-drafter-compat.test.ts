import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeChatRequest,
  type FakeOpenAi,
  knownRejections,
  startFakeOpenAi,
} from '../../tests/support/fake-openai-server';
import type { LlmConfig } from '../core/config';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { DraftError, type DraftRequest } from './drafter';
import { OpenAiDrafter } from './openai-drafter';

// Real-world OpenAI-compatible servers, imitated on the wire by the fake server's quirks and met through the real
// SDK over loopback: refused request fields (and 400s that must change nothing), and a base URL without /v1.
// How answers are shaped: openai-drafter-answers.test.ts.
const rubric = await loadRubric('senior-python-backend');
const template = await loadPromptTemplate('resume-screen');
const text =
  'Senior backend engineer\n- Designed an asyncio ingestion service handling 40k events per second.\n' +
  '- Built Django REST APIs for billing with PostgreSQL.\n';
const request: DraftRequest = { text, rubric, template, screeningId: 'scr_compat' };

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
  apiKey: 'sk-test-compat-7d1e',
  baseURL: fake.baseURL,
  model: 'served-model',
  temperature: 0.2,
  timeoutMs: 5_000,
  maxRetries: 2,
  maxOutputTokens: 1_500,
  ...overrides,
});
const formatOf = (call: FakeChatRequest | undefined) =>
  (call?.body.response_format as { type?: string } | undefined)?.type ?? 'none';
const failure = async (promise: Promise<unknown>): Promise<DraftError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DraftError) return error;
    throw error;
  }
  throw new Error('expected the draft to fail');
};

describe('a server that refuses the JSON-schema response format', () => {
  it('steps down to JSON mode once, remembers it, and says the output was not schema-constrained', async () => {
    fake.quirks = { rejectJsonSchema: knownRejections.llamaCppJsonSchema };
    const drafter = new OpenAiDrafter(config());

    const first = await drafter.draft(request);
    expect(fake.calls.map(formatOf)).toEqual(['json_schema', 'json_object']);
    expect(first.structuredOutput).toBe('json_object');
    const note = first.notes?.find((n) => n.code === 'unconstrained_output');
    expect(note?.message).toContain('must be one of "text" or "json_object"');
    expect(note?.message).toContain('JSON mode');
    // The schema still reaches the model, in the prompt.
    expect(fake.calls[1]?.messages[0]?.content).toContain('competencies: Array<');

    const second = await drafter.draft(request);
    expect(fake.calls.map(formatOf)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(second.notes?.map((n) => n.code)).toContain('unconstrained_output');
    expect(drafter.adjustments.map((a) => a.feature)).toEqual(['response_format']);
  });

  it('drops response_format altogether when JSON mode is refused too', async () => {
    fake.quirks = {
      rejectJsonSchema: knownRejections.openAiJsonSchemaUnsupported,
      rejectJsonObject: knownRejections.lmStudioJsonObject,
    };
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(fake.calls.map(formatOf)).toEqual(['json_schema', 'json_object', 'none']);
    expect(fake.calls[2]?.body).not.toHaveProperty('response_format');
    expect(result.structuredOutput).toBe('none');
    const note = result.notes?.find((n) => n.code === 'unconstrained_output')?.message;
    expect(note).toContain('plain text');
    expect(note).toContain("of type 'json_schema' is not supported");
    expect(note).toContain("and JSON mode (400 'response_format.type' must be 'json_schema' or 'text')");
  });

  it('steps down once for concurrent screenings that all meet the refusal', async () => {
    fake.quirks = { rejectJsonSchema: knownRejections.azureJsonSchemaApiVersion };
    const drafter = new OpenAiDrafter(config());
    const results = await Promise.all([
      drafter.draft(request),
      drafter.draft(request),
      drafter.draft(request),
    ]);
    expect(results.map((r) => r.structuredOutput)).toEqual(['json_object', 'json_object', 'json_object']);
    expect(drafter.adjustments).toHaveLength(1);
    expect(fake.calls.filter((c) => formatOf(c) === 'json_object')).toHaveLength(3);
  });

  it('with the mode pinned to json_schema, fails clearly instead of stepping down', async () => {
    fake.quirks = { rejectJsonSchema: knownRejections.openAiJsonSchemaUnsupported };
    const pinned = config({
      compat: { structuredOutput: 'json_schema', apiKeyHeader: 'authorization', azureApiVersion: undefined },
    });
    const error = await failure(new OpenAiDrafter(pinned).draft(request));
    expect(error).toMatchObject({ code: 'llm_bad_request', retryable: false });
    expect(error.message).toContain("'response_format' of type 'json_schema' is not supported");
    expect(fake.calls).toHaveLength(1);
  });

  it('with the mode pinned to json_object, asks for JSON mode from the start and notes why', async () => {
    const pinned = config({
      compat: { structuredOutput: 'json_object', apiKeyHeader: 'authorization', azureApiVersion: undefined },
    });
    const result = await new OpenAiDrafter(pinned).draft(request);
    expect(fake.calls.map(formatOf)).toEqual(['json_object']);
    expect(result.notes?.find((n) => n.code === 'unconstrained_output')?.message).toContain(
      'LLM_STRUCTURED_OUTPUT is json_object',
    );
  });
});

describe('400s about something else change nothing', () => {
  it('an invalid schema is reported, not worked around', async () => {
    fake.quirks = { rejectJsonSchema: knownRejections.openAiInvalidSchema };
    const drafter = new OpenAiDrafter(config());
    const error = await failure(drafter.draft(request));
    expect(error.code).toBe('llm_bad_request');
    expect(error.message).toContain('Invalid schema for response_format');
    expect(fake.calls).toHaveLength(1);
    expect(drafter.requestShape.structuredOutput).toBe('json_schema');
  });

  it('a prompt too long for the context keeps max_completion_tokens, though the message names it', async () => {
    fake.quirks = { rejectMaxCompletionTokens: knownRejections.vllmContextTooLong };
    const drafter = new OpenAiDrafter(config());
    const error = await failure(drafter.draft(request));
    expect(error.code).toBe('llm_bad_request');
    expect(error.message).toContain('maximum context length');
    expect(fake.calls).toHaveLength(1);
    expect(drafter.requestShape).toEqual({
      structuredOutput: 'json_schema',
      tokenLimit: 'max_completion_tokens',
      sendTemperature: true,
    });
  });
});

describe('refused request parameters', () => {
  it('sends max_tokens once max_completion_tokens is refused, and keeps doing so', async () => {
    fake.quirks = { rejectMaxCompletionTokens: knownRejections.azureMaxCompletionTokens };
    const drafter = new OpenAiDrafter(config());
    await drafter.draft(request);
    await drafter.draft(request);
    const [refused, retried, next] = fake.calls;
    expect(refused?.body).toMatchObject({ max_completion_tokens: 1_500 });
    expect(retried?.body).toMatchObject({ max_tokens: 1_500 });
    expect(retried?.body).not.toHaveProperty('max_completion_tokens');
    expect(next?.body).toMatchObject({ max_tokens: 1_500 });
    expect(fake.calls).toHaveLength(3);
  });

  it('reads the refusal from a pydantic 422 body that lacks OpenAI error envelope', async () => {
    fake.quirks = {
      rejectMaxCompletionTokens: knownRejections.pydanticMaxCompletionTokens,
      errorEnvelope: 'detail',
    };
    const result = await new OpenAiDrafter(config()).draft(request);
    expect(result.draft.competencies.length).toBe(rubric.competencies.length);
    expect(fake.calls[1]?.body).toHaveProperty('max_tokens');
  });

  it('drops temperature for a model that accepts only its default, and records it as not set', async () => {
    // vLLM's older top-level error body: without re-reading it the SDK would only say "400 status code (no body)".
    fake.quirks = {
      rejectTemperature: knownRejections.reasoningModelTemperature,
      errorEnvelope: 'top-level',
    };
    const drafter = new OpenAiDrafter(config());
    const first = await drafter.draft(request);
    const second = await drafter.draft(request);
    expect(fake.calls.map((c) => 'temperature' in c.body)).toEqual([true, false, false]);
    expect(first.temperature).toBeNull();
    expect(second.temperature).toBeNull();
    expect(drafter.adjustments[0]?.reason).toContain('Only the default (1) value is supported');
  });

  it('meets every refusal of an old server in turn, then drafts in one call', async () => {
    fake.quirks = {
      rejectJsonSchema: knownRejections.azureJsonSchemaApiVersion,
      rejectMaxCompletionTokens: knownRejections.azureMaxCompletionTokens,
      rejectTemperature: knownRejections.reasoningModelTemperature,
    };
    const drafter = new OpenAiDrafter(config({ maxRetries: 0 }));
    await drafter.draft(request);
    expect(fake.calls).toHaveLength(4);
    fake.requests.length = 0;
    const again = await drafter.draft(request);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.body).toMatchObject({
      response_format: { type: 'json_object' },
      max_tokens: 1_500,
    });
    expect(again).toMatchObject({ structuredOutput: 'json_object', temperature: null });
  });
});

describe('a base URL without /v1', () => {
  it('fails on the 404 naming the URL called and suggesting the /v1 suffix, without guessing', async () => {
    fake.quirks = { plainTextNotFound: true };
    const root = fake.baseURL.replace(/\/v1$/, '');
    const error = await failure(new OpenAiDrafter(config({ baseURL: root })).draft(request));
    expect(error).toMatchObject({ code: 'llm_not_found', retryable: false });
    expect(error.message).toContain(`${root}/chat/completions`);
    expect(error.message).toContain(`OPENAI_BASE_URL=${root}/v1`);
    expect(error.message).toContain('404 page not found');
    expect(fake.requests.map((r) => r.path)).toEqual(['/chat/completions']);
  });

  it('names the model, not the suffix, when the server does not have the model', async () => {
    fake.enqueue({
      kind: 'error',
      status: 404,
      message: 'model "qwen3:32b" not found, try pulling it first',
    });
    const error = await failure(new OpenAiDrafter(config({ model: 'qwen3:32b' })).draft(request));
    expect(error.code).toBe('llm_not_found');
    expect(error.message).toContain('model "qwen3:32b"');
    expect(error.message).not.toContain('/v1 suffix');
  });
});
