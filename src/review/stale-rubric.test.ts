import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { pinDraftRubric } from '../../tests/support/rubric-history';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import { ReviewView } from '../api/review-schemas';
import { createDocumentClient } from '../store/dynamo';

// `stale_rubric` in the review API, on DynamoDB Local: drafts pinned to another rubric than this deployment's (as a
// draft made before a rubric change is) are said to be stale when read; the stored draft is left as it was.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
  db = createDocumentClient({ endpoint: t.services.config.dynamo.endpoint, region: 'us-east-1' });
});
afterAll(async () => {
  db.destroy();
  await t.close();
});

async function drafted(suffix: string): Promise<string> {
  const res = await request('/v1/screenings', {
    method: 'POST',
    headers: bearer(org.tokens.recruiter),
    body: resumeForm(new TextEncoder().encode(`${seniorResumeText}\n${suffix}`), 'cv.txt'),
  });
  const { id } = (await res.json()) as { id: string };
  await waitForStatus(request, org.tokens.reviewer, id, ['drafted']);
  return id;
}

const review = async (id: string) => {
  const res = await request(`/v1/reviews/${id}`, { headers: bearer(org.tokens.reviewer) });
  expect(res.status).toBe(200);
  return ReviewView.parse(await res.json());
};

describe('stale_rubric in the review API', () => {
  it('is null for a draft made with the current rubric', async () => {
    const id = await drafted('current');
    const got = await review(id);
    expect(got.draft?.provenance.rubricHash).toBe(t.rubric.hash);
    expect(got.staleRubric).toBeNull();
  });

  it('names both versions when the draft was made with an earlier version of the rubric', async () => {
    const id = await drafted('older version');
    await pinDraftRubric(db, t.tableName, org.orgId, id, { version: '0.9.0', hash: 'a'.repeat(64) });
    const got = await review(id);
    expect(got.staleRubric).toMatchObject({
      code: 'stale_rubric',
      severity: 'warning',
      draftedWith: { id: t.rubric.id, version: '0.9.0', hash: 'a'.repeat(64) },
      current: { id: t.rubric.id, version: t.rubric.version, hash: t.rubric.hash },
    });
    expect(got.staleRubric?.message).toContain(
      `${t.rubric.id} 0.9.0; the current version is ${t.rubric.version}`,
    );
    // Read, not written: the draft still names the rubric it was made with.
    expect(got.draft?.provenance.rubricVersion).toBe('0.9.0');
  });

  it('catches a rubric file edited without a new version, by its hash', async () => {
    const id = await drafted('same version, other file');
    await pinDraftRubric(db, t.tableName, org.orgId, id, { version: t.rubric.version, hash: 'b'.repeat(64) });
    const got = await review(id);
    expect(got.staleRubric?.current?.version).toBe(t.rubric.version);
    expect(got.staleRubric?.message).toContain('changed since without a new version');
  });

  it('says so when this deployment no longer has the rubric at all', async () => {
    const id = await drafted('retired rubric');
    await pinDraftRubric(db, t.tableName, org.orgId, id, {
      id: 'retired-rubric',
      version: '2.0.0',
      hash: 'c'.repeat(64),
    });
    const got = await review(id);
    expect(got.staleRubric).toMatchObject({ current: null, draftedWith: { id: 'retired-rubric' } });
    expect(got.staleRubric?.message).toContain('no longer has');
  });
});
