import { readFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelDraft } from '../src/assessment/assessment';
import { buildMessages } from '../src/prompting/build-messages';
import { parsePromptTemplate } from '../src/prompting/prompt-template';
import { parseRubric, promptsDir } from '../src/rubric/rubric';
import {
  competencyIdsOf,
  draftFromMaterial,
  type FakeOpenAi,
  type FakeOpenAiOptions,
  materialOf,
  startFakeOpenAi,
} from './support/fake-openai-server';

let fake: FakeOpenAi | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const start = async (options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> => {
  fake = await startFakeOpenAi(options);
  return fake;
};

const clientFor = (server: FakeOpenAi, opts: { maxRetries?: number; timeout?: number } = {}) =>
  new OpenAI({
    apiKey: 'sk-fake-test-key',
    baseURL: server.baseURL,
    maxRetries: opts.maxRetries ?? 0,
    timeout: opts.timeout ?? 5_000,
  });

const ask = (client: OpenAI, content = 'Say hello as JSON.') =>
  client.chat.completions.create({
    model: 'gpt-test',
    messages: [
      { role: 'system', content: 'You answer in JSON.' },
      { role: 'user', content },
    ],
  });

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

const Greeting = z.object({ greeting: z.string() });

describe('fake OpenAI server: chat completions through the real SDK', () => {
  it('answers with a chat.completion the SDK parses, usage included, and records the request', async () => {
    const server = await start();
    server.enqueue({
      kind: 'json',
      content: { greeting: 'hello' },
      usage: { promptTokens: 1500, completionTokens: 20 },
      cachedTokens: 1280,
      model: 'gpt-test-2025-01-01',
    });
    const completion = await clientFor(server).chat.completions.parse({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: zodResponseFormat(Greeting, 'greeting_reply'),
    });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test-2025-01-01');
    expect(completion.choices[0]?.message.parsed).toEqual({ greeting: 'hello' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1500,
      completion_tokens: 20,
      total_tokens: 1520,
      prompt_tokens_details: { cached_tokens: 1280 },
    });
    expect(server.requests).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.path).toBe('/v1/chat/completions');
    expect(call?.authorization).toBe('Bearer sk-fake-test-key');
    expect(call?.schemaName).toBe('greeting_reply');
    expect(call?.model).toBe('gpt-test');
    expect(call?.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('sends string content as is and estimates tokens at about four characters each', async () => {
    const server = await start();
    server.enqueue({ kind: 'json', content: '{"greeting": "hel' }, { kind: 'json', content: '' });
    const client = clientFor(server);

    const broken = await ask(client, 'x'.repeat(400));
    expect(broken.choices[0]?.message.content).toBe('{"greeting": "hel');
    const chars = 'You answer in JSON.'.length + 400;
    expect(broken.usage?.prompt_tokens).toBe(Math.ceil(chars / 4));
    expect(broken.usage?.completion_tokens).toBe(Math.ceil('{"greeting": "hel'.length / 4));
    expect(broken.usage?.prompt_tokens_details?.cached_tokens).toBe(0);

    const empty = await ask(client);
    expect(empty.choices[0]?.message.content).toBe('');
  });

  it('makes the SDK throw on invalid JSON, a length finish and a schema violation in parse()', async () => {
    const server = await start();
    server.enqueue(
      { kind: 'json', content: 'not json' },
      { kind: 'json', content: { greeting: 'cut' }, finishReason: 'length' },
      { kind: 'json', content: { greeting: 42 } },
    );
    const client = clientFor(server);
    const parse = () =>
      client.chat.completions.parse({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: zodResponseFormat(Greeting, 'greeting_reply'),
      });
    expect(await rejection(parse())).toBeInstanceOf(SyntaxError);
    expect(String(await rejection(parse()))).toMatch(/length limit/);
    expect(String(await rejection(parse()))).toMatch(/expected string/);
  });

  it('sends a refusal in message.refusal with null content', async () => {
    const server = await start();
    server.enqueue({ kind: 'refusal', refusal: "I can't help with that." });
    const completion = await ask(clientFor(server));
    expect(completion.choices[0]?.message.refusal).toBe("I can't help with that.");
    expect(completion.choices[0]?.message.content).toBeNull();
  });

  it('surfaces a 429 as RateLimitError with the OpenAI error body and Retry-After header', async () => {
    const server = await start();
    server.enqueue({ kind: 'error', status: 429, retryAfterSeconds: 7, message: 'Slow down.' });
    const error = await rejection(ask(clientFor(server)));

    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimited = error as RateLimitError;
    expect(rateLimited.status).toBe(429);
    expect(rateLimited.message).toBe('429 Slow down.');
    expect(rateLimited.code).toBe('rate_limit_exceeded');
    expect(rateLimited.headers.get('retry-after')).toBe('7');
    expect(rateLimited.requestID).toMatch(/^req_/);
  });

  it('lets the SDK retry after the Retry-After it was given', async () => {
    const server = await start();
    server.enqueue(
      { kind: 'error', status: 429, retryAfterMs: 300 },
      { kind: 'json', content: { greeting: 'hi' } },
    );
    const started = Date.now();
    const completion = await ask(clientFor(server, { maxRetries: 1 }));
    const elapsed = Date.now() - started;

    expect(completion.choices[0]?.message.content).toBe('{"greeting":"hi"}');
    expect(server.calls).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2_000);
    expect(server.calls[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it.each([
    [500, InternalServerError],
    [503, InternalServerError],
    [400, BadRequestError],
    [401, AuthenticationError],
  ] as const)('maps status %i to the SDK error class', async (status, errorClass) => {
    const server = await start();
    server.enqueue({ kind: 'error', status });
    const error = await rejection(ask(clientFor(server)));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InternalServerError).status).toBe(status);
  });

  it('answers 400 to a request without messages, without consuming a scripted reply', async () => {
    const server = await start();
    server.enqueue({ kind: 'json', content: { greeting: 'kept' } });
    const client = clientFor(server);
    const error = await rejection(client.post('/chat/completions', { body: { model: 'gpt-test' } }));

    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toMatch(/messages/);
    expect(server.requests).toHaveLength(1);
    expect(server.calls).toHaveLength(0);
    expect((await ask(client)).choices[0]?.message.content).toBe('{"greeting":"kept"}');
  });

  it('answers 404 to unknown paths', async () => {
    const server = await start();
    const error = await rejection(
      clientFor(server).post('/embeddings', { body: { model: 'x', input: 'y' } }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('hangs until the client times out, and still closes promptly', async () => {
    const server = await start();
    server.enqueue({ kind: 'hang' });
    const started = Date.now();
    const error = await rejection(ask(clientFor(server, { timeout: 200 })));

    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(1_000);
  });

  it('closes with a request still hanging', async () => {
    const server = await start();
    server.enqueue({ kind: 'hang' });
    const pending = rejection(ask(clientFor(server, { timeout: 10_000 })));
    await waitFor(() => server.calls.length === 1);
    await server.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it('delays an answer', async () => {
    const server = await start();
    server.enqueue({ kind: 'delay', ms: 250, reply: { kind: 'json', content: { greeting: 'late' } } });
    const started = Date.now();
    const completion = await ask(clientFor(server));
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(completion.choices[0]?.message.content).toBe('{"greeting":"late"}');
  });

  it('drops the connection, which the SDK reports as a connection error and retries', async () => {
    const server = await start();
    server.enqueue({ kind: 'drop' });
    const error = await rejection(ask(clientFor(server)));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);

    server.enqueue({ kind: 'drop' }, { kind: 'json', content: { greeting: 'again' } });
    const retried = await ask(clientFor(server, { maxRetries: 1 }));
    expect(retried.choices[0]?.message.content).toBe('{"greeting":"again"}');
  });

  it('falls back to the responder once the scripted replies are used up', async () => {
    const server = await start({
      responder: (req) => ({ kind: 'json', content: { echo: req.messages.length } }),
    });
    server.enqueue({ kind: 'json', content: { scripted: true } });
    const client = clientFor(server);
    expect((await ask(client)).choices[0]?.message.content).toBe('{"scripted":true}');
    expect((await ask(client)).choices[0]?.message.content).toBe('{"echo":2}');
  });

  it('simulates prompt caching of a long system prefix when asked to', async () => {
    const server = await start({
      simulatePromptCache: true,
      responder: () => ({ kind: 'json', content: {} }),
    });
    const client = clientFor(server);
    const system = 'rule '.repeat(1000); // 5000 chars, about 1250 tokens
    const call = () =>
      client.chat.completions.create({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: 'resume' },
        ],
      });
    expect((await call()).usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect((await call()).usage?.prompt_tokens_details?.cached_tokens).toBe(1152);
  });
});

describe('fake OpenAI server: models and the Responses API', () => {
  it('lists one model', async () => {
    const server = await start({ model: 'fake-model-1' });
    const page = await clientFor(server).models.list();
    expect(page.data.map((m) => m.id)).toEqual(['fake-model-1']);
  });

  it('answers responses.create with an output_text message and Responses usage', async () => {
    const server = await start();
    server.enqueue({
      kind: 'json',
      content: 'plain text',
      usage: { promptTokens: 2048, completionTokens: 3 },
      cachedTokens: 1024,
    });
    const response = await clientFor(server).responses.create({
      model: 'gpt-test',
      instructions: 'Be brief.',
      input: 'hello',
    });

    expect(response.output_text).toBe('plain text');
    expect(response.status).toBe('completed');
    expect(response.usage).toMatchObject({
      input_tokens: 2048,
      output_tokens: 3,
      total_tokens: 2051,
      input_tokens_details: { cached_tokens: 1024 },
    });
    expect(server.calls[0]?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello' },
    ]);
  });

  it('works with responses.parse and zodTextFormat, and records the schema name', async () => {
    const server = await start();
    server.enqueue({ kind: 'json', content: { greeting: 'parsed' } });
    const response = await clientFor(server).responses.parse({
      model: 'gpt-test',
      input: [{ role: 'user', content: 'hi' }],
      text: { format: zodTextFormat(Greeting, 'greeting_text') },
    });
    expect(response.output_parsed).toEqual({ greeting: 'parsed' });
    expect(server.calls[0]?.schemaName).toBe('greeting_text');
  });

  it('maps refusals, errors and truncation onto the Responses API', async () => {
    const server = await start();
    server.enqueue(
      { kind: 'refusal', refusal: 'No.' },
      { kind: 'json', content: '{"partial', finishReason: 'length' },
      { kind: 'error', status: 429 },
    );
    const client = clientFor(server);
    const refused = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    expect(refused.output[0]).toMatchObject({
      type: 'message',
      content: [{ type: 'refusal', refusal: 'No.' }],
    });
    const truncated = await client.responses.create({ model: 'gpt-test', input: 'hi' });
    expect(truncated.status).toBe('incomplete');
    expect(truncated.incomplete_details?.reason).toBe('max_output_tokens');
    expect(await rejection(client.responses.create({ model: 'gpt-test', input: 'hi' }))).toBeInstanceOf(
      RateLimitError,
    );
  });

  it('answers 400 to a Responses request without input', async () => {
    const server = await start();
    const error = await rejection(clientFor(server).post('/responses', { body: { model: 'gpt-test' } }));
    expect(error).toBeInstanceOf(BadRequestError);
  });
});

describe('fake OpenAI server: the grounded default responder', () => {
  const rubric = parseRubric(
    `
id: tiny
version: 1.0.0
title: Tiny rubric
kind: resume
description: Three competencies.
competencies:
${['async-concurrency', 'web-apis', 'ai-integration']
  .map(
    (id) => `  - id: ${id}
    name: ${id}
    description: ${id} described.
    levels:
${['none', 'exposure', 'working', 'senior', 'expert'].map((label, n) => `      - { level: ${n}, label: ${label}, anchor: Anchor for level ${n} }`).join('\n')}
    signals:
      - { id: s, pattern: x, suggests: 2, description: A signal }`,
  )
  .join('\n')}
`,
    'inline',
  );
  const resume = [
    'Senior Python engineer',
    '  - Rewrote the billing service on asyncio, cutting p99 latency by 40%',
    '  - Designed REST web APIs with FastAPI and DRF serializers',
    '  - Led a team of four',
  ].join('\n');

  it('drafts a schema-valid ModelDraft with verbatim quotes and every listed competency', async () => {
    const template = parsePromptTemplate(
      await readFile(path.join(promptsDir(), 'templates', 'resume-screen.yaml'), 'utf8'),
      'resume-screen.yaml',
    );
    const { system, user } = buildMessages(template, rubric, resume);
    const server = await start();
    const completion = await clientFor(server).chat.completions.parse({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ],
      response_format: zodResponseFormat(ModelDraft, 'assessment_draft'),
    });
    const draft = completion.choices[0]?.message.parsed;
    if (!draft) throw new Error('no parsed draft');

    const call = server.calls[0];
    if (!call) throw new Error('no call recorded');
    expect(competencyIdsOf(call)).toEqual(['async-concurrency', 'web-apis', 'ai-integration']);
    expect(materialOf(call).trim()).toBe(resume.trim());
    expect(draft.competencies.map((c) => c.competencyId)).toEqual([
      'async-concurrency',
      'web-apis',
      'ai-integration',
    ]);
    const byId = new Map(draft.competencies.map((c) => [c.competencyId, c]));
    expect(byId.get('async-concurrency')?.evidence).toEqual([
      { quote: '- Rewrote the billing service on asyncio, cutting p99 latency by 40%' },
    ]);
    expect(byId.get('web-apis')?.level).toBe(2);
    expect(byId.get('ai-integration')).toMatchObject({ level: null, evidence: [] });
    for (const c of draft.competencies) for (const e of c.evidence) expect(resume).toContain(e.quote);
    expect(draft.interviewPlan.technicalScreen.map((q) => q.competencyId)).toContain('ai-integration');
  });

  it('takes explicit competency ids when the prompt lists none', () => {
    const draft = draftFromMaterial(
      {
        api: 'chat',
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {},
        authorization: undefined,
        body: {},
        model: 'm',
        messages: [
          { role: 'user', content: '<candidate_material>\nBuilt web apis in Django\n</candidate_material>' },
        ],
        schemaName: undefined,
        receivedAt: 0,
      },
      ['web-apis'],
    );
    expect(ModelDraft.parse(draft)).toEqual(draft);
    expect(draft.competencies[0]?.evidence).toEqual([{ quote: 'Built web apis in Django' }]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
