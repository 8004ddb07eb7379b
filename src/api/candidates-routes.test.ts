import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarGz } from '../../tests/support/archives';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { projectZip } from '../../tests/support/take-home-project';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { Assessment } from '../assessment/assessment';
import { createApp } from './app';
import { ScreeningView } from './schemas';

// Attaching a take-home to a candidate whose resume was screened earlier: real services, `app.request`.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;

beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

async function screenResume(token = org.tokens.recruiter): Promise<{ id: string; candidateId: string }> {
  const res = await request('/v1/screenings', {
    method: 'POST',
    headers: bearer(token),
    body: resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.txt', { candidateName: 'Priya R.' }),
  });
  const { id } = (await res.json()) as { id: string };
  const detail = await waitForStatus(request, org.tokens.reviewer, id, ['drafted', 'failed']);
  return { id, candidateId: ScreeningView.parse(detail.screening).candidateId };
}

const attach = (candidateId: string, archive: Uint8Array, token = org.tokens.recruiter) => {
  const body = new FormData();
  body.set('takeHome', new File([archive], 'orders-service.zip'));
  return request(`/v1/candidates/${candidateId}/take-homes`, {
    method: 'POST',
    headers: bearer(token),
    body,
  });
};

describe('POST /v1/candidates/{candidateId}/take-homes', () => {
  it('attaches a take-home to the candidate, who then has both screenings', async () => {
    const resume = await screenResume();
    const res = await attach(resume.candidateId, projectZip());
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      id: string;
      related: Array<{ id: string; kind: string; status: string }>;
    };
    expect(res.headers.get('location')).toBe(`/v1/screenings/${body.id}`);
    expect(body.related).toEqual([{ id: resume.id, kind: 'resume', status: 'drafted' }]);

    const done = await waitForStatus(request, org.tokens.reviewer, body.id, ['drafted', 'failed']);
    expect(done.screening).toMatchObject({
      status: 'drafted',
      kind: 'take-home',
      candidateId: resume.candidateId,
      candidate: { name: 'Priya R.' },
    });
    expect(Assessment.parse(done.assessment).competencies.some((c) => c.evidence.length > 0)).toBe(true);

    const candidate = await request(`/v1/candidates/${resume.candidateId}`, {
      headers: bearer(org.tokens.reviewer),
    });
    expect(candidate.status).toBe(200);
    expect(
      ((await candidate.json()) as { screenings: Array<{ id: string; kind: string }> }).screenings,
    ).toEqual([
      expect.objectContaining({ id: resume.id, kind: 'resume' }),
      expect.objectContaining({ id: body.id, kind: 'take-home' }),
    ]);
  });

  it('answers 404 for an unknown candidate, another organisation’s candidate, and an id that is not one', async () => {
    const resume = await screenResume();
    const other = await t.newOrg();
    expect((await attach(resume.candidateId, projectZip(), other.tokens.recruiter)).status).toBe(404);
    expect((await attach('cand_01JD2W3X4Y5Z6A7B8C9D0E1F2G', projectZip())).status).toBe(404);
    expect((await attach('not-an-id', projectZip())).status).toBe(404);
    expect(
      (await request(`/v1/candidates/${resume.candidateId}`, { headers: bearer(other.tokens.admin) })).status,
    ).toBe(404);
  });

  it('is for recruiters and admins, and refuses a hostile archive with the reason, keeping a failed screening', async () => {
    const resume = await screenResume();
    expect((await attach(resume.candidateId, projectZip(), org.tokens.reviewer)).status).toBe(403);
    const evil = tarGz([
      { name: 'app/main.py', content: 'print(1)\n' },
      { name: 'app/settings.py', type: '1', linkname: '/etc/shadow' },
    ]);
    const res = await attach(resume.candidateId, evil, org.tokens.admin);
    expect(res.status).toBe(422);
    const error = (
      (await res.json()) as { error: { code: string; details: { screeningId: string; related: unknown[] } } }
    ).error;
    expect(error.code).toBe('hardlink_in_archive');
    expect(error.details.related).toEqual([{ id: resume.id, kind: 'resume', status: 'drafted' }]);
    const failed = await waitForStatus(request, org.tokens.reviewer, error.details.screeningId, ['failed']);
    expect(failed.screening).toMatchObject({
      candidateId: resume.candidateId,
      statusReason: { code: 'hardlink_in_archive' },
    });
  });

  it('answers 400 without a file', async () => {
    const resume = await screenResume();
    const res = await request(`/v1/candidates/${resume.candidateId}/take-homes`, {
      method: 'POST',
      headers: bearer(org.tokens.recruiter),
      body: new FormData(),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'takeHome',
    );
  });
});

describe('POST /v1/screenings with an empty file field', () => {
  it('reads an empty, nameless take-home field (what a browser sends for an untouched input) as no take-home', async () => {
    const form = resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.txt');
    form.set('takeHome', new File([], ''));
    const res = await request('/v1/screenings', {
      method: 'POST',
      headers: bearer(org.tokens.recruiter),
      body: form,
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { related: unknown[] };
    expect(body.related).toEqual([]);
  });

  it('still refuses a form with neither file, naming the field', async () => {
    const form = new FormData();
    form.set('resume', new File([], ''));
    form.set('candidateName', 'Nobody');
    const res = await request('/v1/screenings', {
      method: 'POST',
      headers: bearer(org.tokens.recruiter),
      body: form,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('resume');
  });
});
