import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, knownRejections, startFakeOpenAi } from '../../tests/support/fake-openai-server';
import { repoRoot } from '../../tests/support/resumes';
import { runLlmCheck } from './llm-check';

// `npm run llm:check` against the fake server over loopback, through the real SDK: what it reports for a
// well-behaved endpoint, for one with every quirk, for a base URL without /v1, and with nothing configured.
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

const check = async (env: Record<string, string>) => {
  const lines: string[] = [];
  const code = await runLlmCheck(env, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
};
const line = (out: string, label: string) =>
  out.split('\n').find((l) => l.trimStart().startsWith(label)) ?? '';

describe('npm run llm:check', () => {
  it('reports a well-behaved endpoint: strict schema, usage, one call', async () => {
    const { code, out } = await check({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-check-1234',
      OPENAI_MODEL: 'm',
    });
    expect(code).toBe(0);
    expect(line(out, 'endpoint')).toContain(`${fake.baseURL}/chat/completions`);
    expect(line(out, 'key')).toContain('Authorization: Bearer');
    expect(out).not.toContain('sk-check-1234');
    expect(line(out, 'result')).toMatch(/OK: a valid draft of \d+ competencies/);
    expect(line(out, 'latency')).toMatch(/^\s*latency\s+\d+(\.\d)? m?s for 1 HTTP call$/);
    expect(line(out, 'structured output')).toContain('json_schema (the answer was constrained');
    expect(line(out, 'token limit')).toContain('max_completion_tokens');
    expect(line(out, 'usage')).toMatch(/reported: \d+ prompt/);
    expect(line(out, 'quotes')).toMatch(/(\d+) of \1 copied verbatim/);
    expect(fake.calls).toHaveLength(1);
  });

  it('reports what a quirky endpoint needed, and how to skip the refused call next time', async () => {
    fake.quirks = {
      rejectJsonSchema: knownRejections.llamaCppJsonSchema,
      rejectMaxCompletionTokens: knownRejections.azureMaxCompletionTokens,
      answerWrap: ['think', 'fence'],
      usage: 'omit',
    };
    const { code, out } = await check({ OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'qwen3:8b' });
    expect(code).toBe(0);
    expect(line(out, 'key')).toContain('none set');
    expect(line(out, 'latency')).toContain('for 3 HTTP calls');
    expect(line(out, 'structured output')).toContain('json_object (JSON mode, not schema-constrained');
    expect(line(out, 'structured output')).toContain('must be one of "text" or "json_object"');
    expect(line(out, 'token limit')).toContain('max_tokens (max_completion_tokens refused');
    expect(line(out, 'answer format')).toContain('reasoning, code_fence');
    expect(line(out, 'usage')).toContain('not reported');
    expect(out).toContain('LLM_STRUCTURED_OUTPUT=json_object');
  });

  it('fails with the URL called and the /v1 suggestion when the base URL lacks it', async () => {
    fake.quirks = { plainTextNotFound: true };
    const root = fake.baseURL.replace(/\/v1$/, '');
    const { code, out } = await check({ OPENAI_BASE_URL: root, OPENAI_MODEL: 'llama3.1' });
    expect(code).toBe(1);
    expect(line(out, 'result')).toContain('FAILED (llm_not_found)');
    expect(out).toContain(`${root}/chat/completions`);
    expect(out).toContain(`OPENAI_BASE_URL=${root}/v1`);
  });

  it('says that nothing is configured, with exit code 2', async () => {
    const { code, out } = await check({});
    expect(code).toBe(2);
    expect(out).toContain('No LLM is configured');
    expect(fake.requests).toHaveLength(0);
  });

  it('runs as the npm script does, with its exit code', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', path.join('src', 'cli', 'llm-check.ts')],
      {
        cwd: repoRoot,
        env: { ...process.env, OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'm', OPENAI_API_KEY: '' },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain('OK: a valid draft');
    await expect(
      run(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'llm-check.ts')], {
        cwd: repoRoot,
        env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
        timeout: 60_000,
      }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
