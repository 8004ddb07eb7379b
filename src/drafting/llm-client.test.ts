import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAi,
  type FakeOpenAiOptions,
  startFakeOpenAi,
} from '../../tests/support/fake-openai-server';
import { loadConfig } from '../core/config';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { normaliseErrorBody } from './llm-client';
import { OpenAiDrafter } from './openai-drafter';

// How the configured endpoint is reached and authenticated, checked on the wire: servers that need no key, the key
// in Azure's `api-key` header, Azure OpenAI's v1 API and its deployment API through the SDK's AzureOpenAI client.
const rubric = await loadRubric('senior-python-backend');
const template = await loadPromptTemplate('resume-screen');
const request = {
  text: '- Designed an asyncio ingestion service handling 40k events per second.',
  rubric,
  template,
  screeningId: 'scr_client',
};
const KEY = 'azure-key-0123456789abcdef';

let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
const start = async (options: FakeOpenAiOptions = {}) => {
  fake = await startFakeOpenAi(options);
  return fake;
};
const drafterFor = (env: Record<string, string>) => {
  const llm = loadConfig({ LLM_MAX_RETRIES: '0', ...env }).llm;
  if (!llm) throw new Error('expected an LLM configuration');
  return new OpenAiDrafter(llm);
};

describe('reaching and authenticating the endpoint', () => {
  it('drafts from a server that needs no key when only OPENAI_BASE_URL is set', async () => {
    const server = await start();
    const result = await drafterFor({ OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'llama3.1:8b' }).draft(
      request,
    );
    expect(result.draft.competencies).toHaveLength(rubric.competencies.length);
    const [call] = server.calls;
    expect(call?.model).toBe('llama3.1:8b');
    // The SDK insists on a key; a placeholder, never a real secret, is what such servers receive (and ignore).
    expect(call?.authorization).toBe('Bearer not-needed');
  });

  it('sends the key only as an api-key header when LLM_API_KEY_HEADER=api-key', async () => {
    const server = await start({ pathPrefix: '/openai/v1' });
    await drafterFor({
      OPENAI_BASE_URL: `${server.baseURL}/`,
      OPENAI_API_KEY: KEY,
      OPENAI_MODEL: 'my-gpt-4-1-deployment',
      LLM_API_KEY_HEADER: 'api-key',
    }).draft(request);
    const [call] = server.calls;
    expect(call?.path).toBe('/openai/v1/chat/completions');
    expect(call?.headers['api-key']).toBe(KEY);
    expect(call?.headers).not.toHaveProperty('authorization');
  });

  it("reaches Azure OpenAI's v1 API with the plain client and a Bearer key", async () => {
    const server = await start({ pathPrefix: '/openai/v1' });
    await drafterFor({
      OPENAI_BASE_URL: `${server.baseURL}/`,
      OPENAI_API_KEY: KEY,
      OPENAI_MODEL: 'dep',
    }).draft(request);
    expect(server.calls[0]?.authorization).toBe(`Bearer ${KEY}`);
    expect(server.calls[0]?.path).toBe('/openai/v1/chat/completions');
  });

  it("reaches Azure OpenAI's deployment API with LLM_AZURE_API_VERSION and the resource endpoint", async () => {
    const server = await start();
    const endpoint = `http://127.0.0.1:${server.port}`;
    const drafter = drafterFor({
      OPENAI_BASE_URL: endpoint,
      OPENAI_API_KEY: KEY,
      OPENAI_MODEL: 'vetline-gpt-4o',
      LLM_AZURE_API_VERSION: '2024-10-21',
    });
    const result = await drafter.draft(request);
    expect(result.draft.competencies).toHaveLength(rubric.competencies.length);
    const [sent] = server.requests;
    expect(sent?.path).toBe('/openai/deployments/vetline-gpt-4o/chat/completions');
    expect(sent?.query).toEqual({ 'api-version': '2024-10-21' });
    expect(sent?.headers['api-key']).toBe(KEY);
    expect(sent?.headers).not.toHaveProperty('authorization');
    expect(drafter.endpointUrl).toBe(
      `${endpoint}/openai/deployments/vetline-gpt-4o/chat/completions?api-version=2024-10-21`,
    );
  });

  it('rejects an unknown LLM_API_KEY_HEADER or LLM_STRUCTURED_OUTPUT with the variable named', () => {
    expect(() => loadConfig({ OPENAI_API_KEY: KEY, LLM_API_KEY_HEADER: 'x-api-key' })).toThrow(
      /LLM_API_KEY_HEADER/,
    );
    expect(() => loadConfig({ OPENAI_API_KEY: KEY, LLM_STRUCTURED_OUTPUT: 'grammar' })).toThrow(
      /LLM_STRUCTURED_OUTPUT/,
    );
  });
});

describe('normaliseErrorBody', () => {
  const read = (text: string) => JSON.parse(normaliseErrorBody(text)) as { error: Record<string, unknown> };

  it("leaves OpenAI's envelope alone and wraps the others", () => {
    const openAi = '{"error":{"message":"bad","type":"invalid_request_error","param":"x","code":null}}';
    expect(normaliseErrorBody(openAi)).toBe(openAi);
    expect(
      read('{"object":"error","message":"top","type":"BadRequestError","param":"temperature","code":400}'),
    ).toEqual({ error: { message: 'top', type: 'BadRequestError', param: 'temperature', code: null } });
    expect(read('{"error":"model \\"x\\" not found"}')).toEqual({
      error: { message: 'model "x" not found' },
    });
    expect(read('404 page not found\n')).toEqual({ error: { message: '404 page not found' } });
    expect(read('')).toEqual({ error: { message: 'no body' } });
  });

  it('turns a FastAPI/pydantic detail list into a message naming the field', () => {
    const body = read(
      '{"detail":[{"type":"extra_forbidden","loc":["body","max_completion_tokens"],"msg":"Extra inputs are not permitted"}]}',
    );
    expect(body).toEqual({
      error: {
        message: 'max_completion_tokens: Extra inputs are not permitted',
        param: 'max_completion_tokens',
      },
    });
    expect(read('{"detail":"Not Found"}').error.message).toBe('Not Found');
  });
});
