import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, knownRejections, startFakeOpenAi } from '../../tests/support/fake-openai-server';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { loadConfig } from '../core/config';
import { OpenAiDrafter } from '../drafting/openai-drafter';
import { submitResume } from './intake';
import { processScreeningJob } from './process-screening';

// The worker on DynamoDB Local with an endpoint that behaves like an older self-hosted server: it refuses the
// JSON-schema format, wraps its answer in reasoning and a code fence, and reports no usage. The screening is
// drafted, and what the reviewer reads says the output was not schema-constrained and the cost is unknown.
let fake: FakeOpenAi;
let t: TestServices;

beforeAll(async () => {
  fake = await startFakeOpenAi({
    quirks: {
      rejectJsonSchema: knownRejections.llamaCppJsonSchema,
      answerWrap: ['think', 'fence'],
      usage: 'omit',
      model: 'omit',
    },
  });
  const env = {
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MODEL: 'gpt-4.1-mini',
    LLM_MAX_RETRIES: '0',
    VETLINE_DRAFT_CACHE: 'false',
  };
  const llm = loadConfig(env).llm;
  if (!llm) throw new Error('no llm');
  t = await createTestServices({ env, drafter: new OpenAiDrafter(llm), startWorker: false });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function screenOnce(orgRecruiter: Awaited<ReturnType<TestServices['newOrg']>>) {
  const screening = await submitResume(t.services, orgRecruiter.principals.recruiter, {
    bytes: new TextEncoder().encode(seniorResumeText),
    filename: 'resume.txt',
    candidate: { name: 'Priya Raman', email: null, externalId: null, position: null },
    source: 'upload',
  });
  await processScreeningJob(t.services, { orgId: orgRecruiter.orgId, screeningId: screening.id });
  const record = await t.services.screenings.get(orgRecruiter.orgId, screening.id);
  if (!record) throw new Error('screening vanished');
  return record;
}

describe('the worker with a server that constrains nothing and counts nothing', () => {
  it('drafts, flags the unconstrained output and the unknown usage, and prices nothing', async () => {
    const org = await t.newOrg();
    const record = await screenOnce(org);
    expect(record.screening.status).toBe('drafted');
    const draft = record.draft;
    const codes = draft?.flags.map((f) => f.code) ?? [];
    expect(codes).toContain('unconstrained_output');
    expect(codes).toContain('usage_unknown');
    expect(codes).not.toContain('repaired_output');
    expect(draft?.flags.find((f) => f.code === 'unconstrained_output')?.message).toContain('json_schema');
    expect(draft?.provenance).toMatchObject({
      drafter: 'llm',
      model: 'gpt-4.1-mini',
      structuredOutput: 'json_object',
      usageReported: false,
      costUsd: null,
      usage: { promptTokens: 0, cachedPromptTokens: 0, completionTokens: 0, totalTokens: 0 },
    });
    expect(draft?.competencies.some((c) => c.evidence.length > 0)).toBe(true);

    // The next screening goes straight to JSON mode: one call, not a refusal first.
    const before = fake.requests.length;
    const second = await screenOnce(org);
    expect(second.screening.status).toBe('drafted');
    expect(
      fake.requests
        .slice(before)
        .map((r) => (r.body as { response_format?: { type: string } }).response_format?.type),
    ).toEqual(['json_object']);
  });
});
