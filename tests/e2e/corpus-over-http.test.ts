import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assessment } from '../../src/assessment/assessment';
import { seedDevUsers } from '../../src/auth/dev-seed';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server';
import { bearer, resumeForm, waitForStatus } from '../support/http';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { corpusResumes, seniorResumeText } from '../support/resumes';

// End to end over real sockets: the local runtime as `npm start` builds it, an LLM drafter pointed at a fake
// OpenAI-compatible server on loopback through the real `openai` SDK, and every resume in the shared corpus.
let fake: FakeOpenAi;
let server: LocalServer;
let tokens: Record<'recruiter' | 'reviewer' | 'admin', string>;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startLocalServer({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test-e2e',
    OPENAI_MODEL: 'fake-model-1',
    LLM_MAX_RETRIES: '1',
    LLM_TIMEOUT_MS: '5000',
  });
  const seeded = await seedDevUsers(
    server.runtime.services.auth,
    server.runtime.services.config.dataDir,
    new Date(),
  );
  tokens = seeded.tokens as typeof tokens;
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('the corpus through the HTTP API', () => {
  it('drafts every corpus resume with a schema-valid, grounded assessment from the LLM', async () => {
    const resumes = corpusResumes();
    expect(resumes.length).toBeGreaterThanOrEqual(3);
    const ids = await Promise.all(
      resumes.map(async ({ name, bytes }) => {
        const res = await server.fetch('/v1/screenings', {
          method: 'POST',
          headers: bearer(tokens.recruiter),
          body: resumeForm(bytes, name),
        });
        expect(res.status, name).toBe(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    for (const id of ids) {
      const done = await waitForStatus(server.fetch, tokens.reviewer, id, ['drafted', 'failed'], 30_000);
      expect(done.screening.status, JSON.stringify(done.screening)).toBe('drafted');
      const assessment = Assessment.parse(done.assessment);
      expect(assessment.provenance).toMatchObject({
        drafter: 'llm',
        model: 'fake-model-1',
        promptId: 'resume-screen',
      });
      expect(assessment.provenance.usage.promptTokens).toBeGreaterThan(1000);
      const evidence = assessment.competencies.flatMap((c) => c.evidence);
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence.every((e) => e.start !== null && e.end !== null && e.end > e.start)).toBe(true);
    }
    // Every call carried the key, asked for the strict schema, and kept the candidate out of the system prompt.
    expect(fake.calls.length).toBe(resumes.length);
    const systems = new Set(fake.calls.map((c) => c.messages[0]?.content));
    expect(systems.size).toBe(1);
    expect(
      fake.calls.every(
        (c) => c.authorization === 'Bearer sk-test-e2e' && c.schemaName === 'assessment_draft',
      ),
    ).toBe(true);
  });

  it('ends in failed with the reason when the LLM stays down, keeps the upload, and drafts after an admin re-queues', async () => {
    fake.enqueue(
      { kind: 'error', status: 503, message: 'overloaded' },
      { kind: 'error', status: 503, message: 'overloaded' },
    );
    const res = await server.fetch('/v1/screenings', {
      method: 'POST',
      headers: bearer(tokens.recruiter),
      body: resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.md'),
    });
    const { id } = (await res.json()) as { id: string };
    const failed = await waitForStatus(server.fetch, tokens.reviewer, id, ['failed', 'drafted']);
    expect(failed.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'llm_unavailable', retryable: true },
    });

    const requeued = await server.fetch(`/v1/screenings/${id}/requeue`, {
      method: 'POST',
      headers: bearer(tokens.admin),
    });
    expect(requeued.status).toBe(202);
    const drafted = await waitForStatus(server.fetch, tokens.reviewer, id, ['drafted', 'failed']);
    expect(drafted.screening.status).toBe('drafted');
    expect(Assessment.parse(drafted.assessment).provenance.drafter).toBe('llm');
  });

  it('fails with a clear reason when the model answers garbage twice', async () => {
    fake.enqueue(
      { kind: 'json', content: 'this is not json {' },
      { kind: 'json', content: '{"still": "wrong"}' },
    );
    const res = await server.fetch('/v1/screenings', {
      method: 'POST',
      headers: bearer(tokens.recruiter),
      // Not the text drafted above: that one is now in the draft cache and would need no LLM call at all.
      body: resumeForm(new TextEncoder().encode(`${seniorResumeText}\nInterests: chess\n`), 'priya.txt'),
    });
    const { id } = (await res.json()) as { id: string };
    const failed = await waitForStatus(server.fetch, tokens.reviewer, id, ['failed', 'drafted']);
    expect(failed.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'llm_invalid_output', retryable: false },
    });
  });

  it('serves the OpenAPI document and docs over the socket', async () => {
    const spec = await server.fetch('/openapi.json');
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { info: { title: string } }).info.title).toBe('Vetline API');
    expect((await server.fetch('/docs')).status).toBe(200);
  });
});
