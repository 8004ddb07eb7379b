import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from './app';
import { ReviewResult, ReviewView } from './review-schemas';

// The review API through `app.request`, against DynamoDB Local with the real worker and offline drafter.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
const text = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

async function drafted(o: TestOrg = org, suffix = ''): Promise<string> {
  const res = await request('/v1/screenings', {
    method: 'POST',
    headers: bearer(o.tokens.recruiter),
    body: resumeForm(text(`${seniorResumeText}\n${suffix}`), 'cv.txt'),
  });
  const { id } = (await res.json()) as { id: string };
  await waitForStatus(request, o.tokens.reviewer, id, ['drafted']);
  return id;
}

const getReview = async (id: string, token = org.tokens.reviewer) => {
  const res = await request(`/v1/reviews/${id}`, { headers: bearer(token) });
  expect(res.status).toBe(200);
  return ReviewView.parse(await res.json());
};

const post = (id: string, body: unknown, token = org.tokens.reviewer) =>
  request(`/v1/reviews/${id}`, {
    method: 'POST',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; details?: { field?: string } } }).error;

describe('GET /v1/reviews/{id}', () => {
  it('serves the draft with no final and no events before anyone reviews', async () => {
    const id = await drafted();
    const review = await getReview(id);
    expect(review.screening.status).toBe('drafted');
    expect(review.draft?.competencies.length).toBe(t.rubric.competencies.length);
    expect(review.final).toBeNull();
    expect(review.events).toEqual([]);
    expect(review.screening.flagCodes).toEqual(['offline_drafter']);
  });

  it('answers 404 to another organisation and to ids that are not ids', async () => {
    const id = await drafted();
    const other = await t.newOrg();
    expect((await request(`/v1/reviews/${id}`, { headers: bearer(other.tokens.admin) })).status).toBe(404);
    const { version } = (await getReview(id)).screening;
    const res = await post(id, { expectedVersion: version, decision: 'approve' }, other.tokens.reviewer);
    expect(res.status).toBe(404);
    expect((await getReview(id)).screening.status).toBe('drafted');
    expect((await request('/v1/reviews/nope', { headers: bearer(org.tokens.admin) })).status).toBe(404);
  });
});

describe('POST /v1/reviews/{id}', () => {
  it('is for reviewers and admins, not recruiters', async () => {
    const id = await drafted();
    const { version } = (await getReview(id)).screening;
    expect(
      (await post(id, { expectedVersion: version, decision: 'approve' }, org.tokens.recruiter)).status,
    ).toBe(403);
  });

  it('refuses a changed level without a reason and writes nothing', async () => {
    const id = await drafted();
    const before = await getReview(id);
    const first = before.draft?.competencies[0];
    if (!first) throw new Error('no competency');
    const res = await post(id, {
      expectedVersion: before.screening.version,
      decision: 'approve',
      levels: [{ competencyId: first.competencyId, level: first.level === 1 ? 2 : 1, reason: '  ' }],
    });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('reason_required');
    expect(error.details?.field).toBe(`levels.${first.competencyId}.reason`);
    const after = await getReview(id);
    expect(after.screening).toMatchObject({ status: 'drafted', version: before.screening.version });
    expect(after.final).toBeNull();
    expect(after.events).toEqual([]);
  });

  it('approves with an edited level: the final sits beside the untouched draft, with an audit event', async () => {
    const id = await drafted();
    const before = await getReview(id);
    const first = before.draft?.competencies[0];
    if (!first) throw new Error('no competency');
    const res = await post(id, {
      expectedVersion: before.screening.version,
      decision: 'approve',
      levels: [{ competencyId: first.competencyId, level: 2, reason: 'Only one project shows it.' }],
      notes: 'Good fit for the platform team.',
    });
    expect(res.status).toBe(200);
    const result = ReviewResult.parse(await res.json());
    expect(result.screening).toMatchObject({ status: 'approved', version: before.screening.version + 1 });
    const after = await getReview(id);
    expect(after.draft).toEqual(before.draft);
    expect(after.final).toMatchObject({ decision: 'approved', notes: 'Good fit for the platform team.' });
    expect(after.final?.competencies[0]).toMatchObject({
      competencyId: first.competencyId,
      draftLevel: first.level,
      level: 2,
      reason: 'Only one project shows it.',
    });
    expect(after.events).toHaveLength(1);
    expect(after.events[0]).toMatchObject({
      action: 'review.approved',
      actor: { userId: org.principals.reviewer.userId, role: 'reviewer', via: 'token' },
      target: { type: 'screening', id },
      before: { status: 'drafted', version: before.screening.version },
      after: {
        status: 'approved',
        notes: 'Good fit for the platform team.',
        levels: { [first.competencyId]: { level: 2, reason: 'Only one project shows it.' } },
      },
    });
    // A decided screening is closed: another decision is a conflict.
    const again = await post(id, {
      expectedVersion: result.screening.version,
      decision: 'reject',
      notes: 'x',
    });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('not_reviewable');
  });

  it('lets exactly one of two concurrent reviews from the same version win; the other gets 409', async () => {
    const id = await drafted();
    const { version } = (await getReview(id)).screening;
    const [a, b] = await Promise.all([
      post(id, { expectedVersion: version, decision: 'approve' }, org.tokens.reviewer),
      post(id, { expectedVersion: version, decision: 'reject', notes: 'Not senior.' }, org.tokens.admin),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect((await errorOf(loser)).code).toBe('stale_version');
    const after = await getReview(id);
    expect(after.events).toHaveLength(1);
    expect(after.screening.status).toBe(
      after.events[0]?.action === 'review.approved' ? 'approved' : 'rejected',
    );
  });

  it('needs notes to reject or request changes; changes requested can be re-queued and drafted again', async () => {
    const id = await drafted();
    let { version } = (await getReview(id)).screening;
    const noNotes = await post(id, { expectedVersion: version, decision: 'reject' });
    expect(noNotes.status).toBe(400);
    expect((await errorOf(noNotes)).code).toBe('notes_required');
    const unknown = await post(id, {
      expectedVersion: version,
      decision: 'save',
      levels: [{ competencyId: 'cobol', level: 4, reason: 'x' }],
    });
    expect((await errorOf(unknown)).code).toBe('unknown_competency');

    const saved = await post(id, { expectedVersion: version, decision: 'save', notes: 'Half way.' });
    expect(saved.status).toBe(200);
    version = ReviewResult.parse(await saved.json()).screening.version;
    const first = (await getReview(id)).draft?.competencies[0];
    if (!first) throw new Error('no competency in the draft');
    const changed = first.level === 4 ? 3 : (first.level ?? 0) + 1;
    const asked = await post(id, {
      expectedVersion: version,
      decision: 'request_changes',
      levels: [{ competencyId: first.competencyId, level: changed, reason: 'Seen in the interview.' }],
      notes: 'Need the take-home.',
    });
    expect(asked.status).toBe(200);
    expect((await getReview(id)).screening.status).toBe('changes_requested');
    const listed = await request('/v1/screenings?status=changes_requested', {
      headers: bearer(org.tokens.reviewer),
    });
    expect(((await listed.json()) as { items: Array<{ id: string }> }).items.map((s) => s.id)).toContain(id);

    const requeue = await request(`/v1/screenings/${id}/requeue`, {
      method: 'POST',
      headers: bearer(org.tokens.admin),
    });
    expect(requeue.status).toBe(202);
    await waitForStatus(request, org.tokens.reviewer, id, ['drafted']);
    const after = await getReview(id);
    expect(after.events.map((e) => e.action)).toEqual([
      'review.saved',
      'review.changes_requested',
      'screening.requeued',
    ]);
    expect(after.events[2]).toMatchObject({
      actor: { role: 'admin' },
      before: { status: 'changes_requested' },
      after: { status: 'queued' },
    });
    // The final of the old draft is history: the review of the new draft starts from the new draft.
    expect(after.final).toBeNull();
    expect(after.pastFinals.map((f) => [f.decision, f.notes])).toEqual([
      ['changes_requested', 'Need the take-home.'],
    ]);
    expect(after.pastFinals[0]?.competencies.find((c) => c.competencyId === first.competencyId)?.level).toBe(
      changed,
    );
    expect(after.events[2]?.before).toMatchObject({
      final: { decision: 'changes_requested', notes: 'Need the take-home.' },
    });
    // A save on the new draft starts from its levels (no reason asked for a level the old final changed) and
    // leaves the old final where it was.
    const fresh = await post(id, { expectedVersion: after.screening.version, decision: 'save' });
    expect(fresh.status).toBe(200);
    const saved2 = ReviewResult.parse(await fresh.json()).final;
    expect(saved2.notes).toBe('');
    expect(saved2.competencies.every((c) => c.level === c.draftLevel)).toBe(true);
    expect((await getReview(id)).pastFinals).toHaveLength(1);
  });
});

describe('the review queue filtered by flag', () => {
  it('lists drafted screenings carrying a flag code, and none for a flag they do not carry', async () => {
    const fresh = await t.newOrg();
    const ids = [await drafted(fresh, '#1'), await drafted(fresh, '#2'), await drafted(fresh, '#3')];
    const list = async (query: string) => {
      const res = await request(`/v1/screenings?status=drafted&${query}`, {
        headers: bearer(fresh.tokens.reviewer),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    };
    expect((await list('flag=offline_drafter')).items.map((s) => s.id)).toEqual(ids);
    expect((await list('flag=hidden_text')).items).toEqual([]);
    const page1 = await list('flag=offline_drafter&limit=2');
    expect(page1.items.map((s) => s.id)).toEqual(ids.slice(0, 2));
    const page2 = await list(`flag=offline_drafter&limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((s) => s.id)).toEqual(ids.slice(2));
  });
});
