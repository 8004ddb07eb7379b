import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { pinDraftRubric } from '../../tests/support/rubric-history';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import { requeueScreening, submitReview } from '../review/review-actions';
import { createDocumentClient } from '../store/dynamo';

// The screening page of a re-drafted screening and of a stale draft, rendered by the real app on DynamoDB Local.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
let cookie: string;

beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
  const user = await t.services.auth.getUser(org.orgId, org.principals.reviewer.userId);
  if (!user) throw new Error('no user');
  cookie = `vetline_session=${(await t.services.sessions.create(user, 600, new Date())).value}`;
});
afterAll(() => t.close());

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

const page = async (id: string) => {
  const res = await request(`http://127.0.0.1:8787/screenings/${id}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return res.text();
};

describe('the screening page', () => {
  it('starts the review of a re-drafted screening from the new draft, and shows the old final as history', async () => {
    const id = await drafted('re-drafted');
    const record = await t.services.reviews.load(org.orgId, id);
    const first = record?.draft?.competencies[0];
    if (!record || !first) throw new Error('no draft');
    const changed = first.level === 4 ? 3 : (first.level ?? 0) + 1;
    await submitReview(t.services, org.principals.reviewer, id, {
      expectedVersion: record.screening.version,
      decision: 'request_changes',
      levels: [{ competencyId: first.competencyId, level: changed, reason: 'Seen in the interview.' }],
      notes: 'Need the take-home.',
    });
    const before = await page(id);
    expect(before).not.toContain('Reviews of earlier drafts');

    await requeueScreening(t.services, org.principals.admin, id);
    await waitForStatus(request, org.tokens.reviewer, id, ['drafted']);
    const html = await page(id);
    expect(html).toContain('Reviews of earlier drafts');
    expect(html).toContain('Need the take-home.');
    // The form holds the new draft's level and no reason or notes from the old final.
    const select =
      new RegExp(`<select id="level-${first.competencyId}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '';
    const selected = /<option value="([^"]+)" selected/.exec(select)?.[1];
    expect(selected).toBe(first.level === null ? 'null' : String(first.level));
    const reason = new RegExp(`<textarea id="reason-${first.competencyId}"[^>]*>([^<]*)</textarea>`).exec(
      html,
    );
    expect(reason?.[1]).toBe('');
    const notes = /<textarea[^>]*name="notes"[^>]*>([^<]*)<\/textarea>/.exec(html);
    expect(notes?.[1]).toBe('');
  });

  it('says stale_rubric above the flags when the draft was made with another rubric version', async () => {
    const id = await drafted('stale');
    expect(await page(id)).not.toContain('The rubric changed since this draft');
    const db = createDocumentClient({ endpoint: t.services.config.dynamo.endpoint, region: 'us-east-1' });
    await pinDraftRubric(db, t.tableName, org.orgId, id, { version: '0.9.0', hash: 'a'.repeat(64) });
    db.destroy();
    const html = await page(id);
    expect(html).toContain('data-flag="stale_rubric"');
    expect(html).toContain('The rubric changed since this draft');
    expect(html).toContain(`${t.rubric.id} 0.9.0; the current version is ${t.rubric.version}`);
  });
});
