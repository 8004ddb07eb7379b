import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Assessment } from '../../src/assessment/assessment';
import { seedDevUsers } from '../../src/auth/dev-seed';
import { type FakeOpenAi, materialOf, startFakeOpenAi } from '../support/fake-openai-server';
import { bearer, resumeForm, waitForStatus } from '../support/http';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { seniorResumeText } from '../support/resumes';
import { PROJECT_FILES, projectTarGz, projectZip } from '../support/take-home-project';

// A realistic take-home drafted end to end over real sockets: the local runtime as `npm start` builds it, once with an
// LLM drafter pointed at the fake OpenAI-compatible server (through the real `openai` SDK), once with the offline rules.

type Tokens = Record<'recruiter' | 'reviewer' | 'admin', string>;

async function serve(env: Record<string, string>): Promise<{ server: LocalServer; tokens: Tokens }> {
  const server = await startLocalServer(env);
  const seeded = await seedDevUsers(
    server.runtime.services.auth,
    server.runtime.services.config.dataDir,
    new Date(),
  );
  return { server, tokens: seeded.tokens as Tokens };
}

async function submit(server: LocalServer, tokens: Tokens, archive: Uint8Array, name: string) {
  const body = resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.txt', {
    candidateName: 'Priya R.',
  });
  body.set('takeHome', new File([archive], name));
  const res = await server.fetch('/v1/screenings', {
    method: 'POST',
    headers: bearer(tokens.recruiter),
    body,
  });
  expect(res.status).toBe(202);
  const accepted = (await res.json()) as { id: string; related: Array<{ id: string; kind: string }> };
  const takeHomeId = accepted.related.find((r) => r.kind === 'take-home')?.id ?? '';
  const done = await waitForStatus(server.fetch, tokens.reviewer, takeHomeId, ['drafted', 'failed'], 30_000);
  expect(done.screening.status, JSON.stringify(done.screening)).toBe('drafted');
  return { resumeId: accepted.id, takeHomeId, assessment: Assessment.parse(done.assessment) };
}

/** Every piece of evidence names a file of the project and lines whose text holds the quote. */
function expectGroundedInProject(assessment: Assessment): number {
  const evidence = assessment.competencies.flatMap((c) => c.evidence);
  for (const e of evidence) {
    expect(e.source).toBe('take-home');
    const file = PROJECT_FILES[e.file ?? ''];
    expect(file, e.file ?? '').toBeDefined();
    const lines = (file ?? '')
      .split('\n')
      .slice((e.lineStart ?? 1) - 1, e.lineEnd ?? 0)
      .join('\n');
    expect(lines).toContain(e.quote);
  }
  return evidence.length;
}

describe('take-home with the LLM drafter (fake OpenAI server)', () => {
  let fake: FakeOpenAi;
  let server: LocalServer;
  let tokens: Tokens;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    ({ server, tokens } = await serve({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test-take-home',
      OPENAI_MODEL: 'fake-model-th',
      LLM_MAX_RETRIES: '1',
      LLM_TIMEOUT_MS: '5000',
    }));
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('sends the rubric, the static signals and the selected code, and stores a grounded, schema-valid draft', async () => {
    const { takeHomeId, assessment } = await submit(server, tokens, projectZip(), 'orders-service.zip');
    expect(assessment.provenance).toMatchObject({
      drafter: 'llm',
      model: 'fake-model-th',
      rubricId: 'senior-python-take-home',
      promptId: 'take-home-review',
    });
    expect(expectGroundedInProject(assessment)).toBeGreaterThan(0);
    // The fake model quotes any line that names a competency, the static-analysis lines included: those are dropped.
    const flagged = assessment.flags.filter((f) => f.code === 'unverifiable_quote');
    for (const f of flagged) expect(f.message).toMatch(/not found in the submitted code/);

    const call = fake.calls.find((c) =>
      c.messages.some((m) => m.content.includes('senior-python-take-home')),
    );
    expect(call).toBeDefined();
    const material = call ? materialOf(call) : '';
    expect(material).toContain('<file path="orders-service/orders/ingest.py" lines="1-');
    expect(material).toContain('## Static analysis by Vetline');
    expect(material).toContain('orders-service/.venv/ (virtualenv, 3 files)');
    // Nothing skipped reaches the model.
    expect(material).not.toContain('VERSION = (5, 0, 6)');
    expect(material).not.toContain('left-pad');

    const view = await server.fetch(`/v1/take-homes/${takeHomeId}`, { headers: bearer(tokens.reviewer) });
    expect(view.status).toBe(200);
  });

  it('refuses a hostile archive over the socket with the reason, and keeps serving', async () => {
    const body = new FormData();
    body.set('takeHome', new File([projectZip().slice(0, 2000)], 'truncated.zip'));
    const res = await server.fetch('/v1/screenings', {
      method: 'POST',
      headers: bearer(tokens.recruiter),
      body,
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('corrupt_archive');
    expect((await server.fetch('/healthz')).status).toBe(200);
  });
});

describe('take-home with the offline drafter', () => {
  let server: LocalServer;
  let tokens: Tokens;

  beforeAll(async () => {
    ({ server, tokens } = await serve({}));
  });
  afterAll(() => server?.close());

  it('drafts a tar.gz of the project with every quote grounded at path:line', async () => {
    const { assessment } = await submit(server, tokens, projectTarGz(), 'orders-service.tar.gz');
    expect(assessment.provenance).toMatchObject({ drafter: 'offline', promptId: 'take-home-review' });
    expect(assessment.flags.map((f) => f.code)).toContain('offline_drafter');
    expect(assessment.flags.map((f) => f.code)).not.toContain('unverifiable_quote');
    expect(expectGroundedInProject(assessment)).toBeGreaterThan(8);
    expect(assessment.competencies.find((c) => c.competencyId === 'database-optimization')?.level).toBe(4);
  });
});
