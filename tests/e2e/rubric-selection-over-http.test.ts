import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Assessment } from '../../src/assessment/assessment';
import { seedDevUsers } from '../../src/auth/dev-seed';
import { loadRubric } from '../../src/rubric/rubric';
import { dataEngineerResumeText } from '../support/data-engineer-resume';
import { bearer, resumeForm, waitForStatus } from '../support/http';
import { type LocalServer, startLocalServer } from '../support/local-server';

// Choosing the rubric a resume is drafted with, over a real socket against the local runtime as `npm start` builds
// it: per upload (`rubricId`), per organisation (`resumeRubricId` in the settings), else the deployment's default.
type Tokens = Record<'recruiter' | 'reviewer' | 'admin', string>;
let server: LocalServer;
let tokens: Tokens;
const DATA = 'senior-python-data-engineer';
const BACKEND = 'senior-python-backend';

beforeAll(async () => {
  server = await startLocalServer();
  const seeded = await seedDevUsers(
    server.runtime.services.auth,
    server.runtime.services.config.dataDir,
    new Date(),
  );
  tokens = seeded.tokens as Tokens;
}, 60_000);
afterAll(() => server.close());

const upload = (fields: Record<string, string> = {}) =>
  server.fetch('/v1/screenings', {
    method: 'POST',
    headers: bearer(tokens.recruiter),
    body: resumeForm(new TextEncoder().encode(dataEngineerResumeText), 'mara.txt', {
      candidateName: 'Mara Quist',
      ...fields,
    }),
  });

const drafted = async (res: Response) => {
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const done = await waitForStatus(server.fetch, tokens.reviewer, id, ['drafted', 'failed'], 30_000);
  expect(done.screening.status, JSON.stringify(done.screening)).toBe('drafted');
  return {
    screening: z.object({ rubricId: z.string() }).parse(done.screening),
    assessment: Assessment.parse(done.assessment),
  };
};

const setOrgRubric = async (resumeRubricId: string | null) => {
  const res = await server.fetch('/v1/org/settings', {
    method: 'PATCH',
    headers: { ...bearer(tokens.admin), 'content-type': 'application/json' },
    body: JSON.stringify({ resumeRubricId }),
  });
  expect(res.status).toBe(200);
};

describe('rubric selection over HTTP', () => {
  it('drafts with the rubric an upload names, and records it on the screening and in the provenance', async () => {
    const rubric = await loadRubric(DATA);
    const { screening, assessment } = await drafted(await upload({ rubricId: DATA }));
    expect(screening.rubricId).toBe(DATA);
    expect(assessment.provenance).toMatchObject({
      rubricId: DATA,
      rubricVersion: rubric.version,
      rubricHash: rubric.hash,
    });
    expect(assessment.competencies.map((c) => c.competencyId)).toEqual(rubric.competencies.map((c) => c.id));
    const level = (id: string) => assessment.competencies.find((c) => c.competencyId === id)?.level ?? 0;
    expect(level('streaming-brokers')).toBeGreaterThanOrEqual(3);
    expect(level('warehousing-sql')).toBeGreaterThanOrEqual(3);
  });

  it('uses the organisation’s rubric when the upload names none, and the deployment’s once it is reset', async () => {
    await setOrgRubric(DATA);
    const chosen = await drafted(await upload());
    expect(chosen.screening.rubricId).toBe(DATA);
    expect(chosen.assessment.provenance.rubricId).toBe(DATA);
    // An upload may still name another.
    expect((await drafted(await upload({ rubricId: BACKEND }))).screening.rubricId).toBe(BACKEND);

    await setOrgRubric(null);
    const fallback = await drafted(await upload());
    expect(fallback.screening.rubricId).toBe(server.runtime.services.config.rubricId);
    expect(fallback.assessment.competencies.map((c) => c.competencyId)).toContain('web-apis');
  });

  it('refuses an unknown rubric, or a take-home rubric, with 400 naming the field, and stores nothing', async () => {
    const count = async () => {
      let n = 0;
      for (const status of ['queued', 'failed', 'drafting', 'drafted'])
        n += (
          (await (
            await server.fetch(`/v1/screenings?status=${status}&limit=100`, {
              headers: bearer(tokens.reviewer),
            })
          ).json()) as { items: unknown[] }
        ).items.length;
      return n;
    };
    const before = await count();
    for (const rubricId of ['senior-python-frontend', 'senior-python-take-home', '../rubrics/x']) {
      const res = await upload({ rubricId });
      expect(res.status, rubricId).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { field: string } } };
      expect(body.error.details.field, rubricId).toBe('rubricId');
    }
    expect(await count()).toBe(before);
  });

  it('lists the catalogue for recruiters, with the default their uploads get', async () => {
    const res = await server.fetch('/v1/org/rubrics', { headers: bearer(tokens.recruiter) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string; kind: string }>; resumeDefault: string };
    expect(body.items.filter((r) => r.kind === 'resume').map((r) => r.id)).toEqual([BACKEND, DATA]);
    expect(body.resumeDefault).toBe(server.runtime.services.config.rubricId);
  });
});
