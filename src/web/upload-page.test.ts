import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';

// The upload page's two answers: JSON for the progress script, a page for a plain form post. Real services.
let t: TestServices;
let org: TestOrg;
let app: ReturnType<typeof createApp>;
let cookie: string;
let csrf: string;
const origin = 'http://127.0.0.1:8787';

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  org = await t.newOrg();
  app = createApp(t.services);
  const user = await t.services.auth.getUser(org.orgId, org.principals.recruiter.userId);
  if (!user) throw new Error('no user');
  const session = await t.services.sessions.create(user, 600, new Date());
  cookie = `vetline_session=${session.value}`;
  csrf = (await t.services.sessions.resolve(session.value, new Date()))?.csrf ?? '';
});
afterAll(() => t.close());

const form = (bytes: Uint8Array, name: string) => {
  const body = new FormData();
  body.set('resume', new File([bytes], 'cv.txt'));
  body.set('candidateName', name);
  body.set('position', 'Senior Python engineer');
  return body;
};

const upload = (body: FormData, accept: string, withToken = true) =>
  app.request(`${origin}/upload`, {
    method: 'POST',
    headers: { cookie, accept, origin, ...(withToken ? { 'x-csrf-token': csrf } : {}) },
    body,
  });

describe('POST /upload', () => {
  it('answers the script with 202 and the screening page, through the same intake as the API', async () => {
    const res = await upload(form(new TextEncoder().encode(seniorResumeText), 'Ada'), 'application/json');
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; page: string };
    expect(body).toMatchObject({ status: 'queued', page: `/screenings/${body.id}` });
    const screening = await t.services.screenings.getScreening(org.orgId, body.id);
    expect(screening).toMatchObject({
      source: 'upload',
      createdBy: org.principals.recruiter.userId,
      candidate: { name: 'Ada', position: 'Senior Python engineer' },
    });
  });

  it('refuses an empty file, keeps an unreadable one with a link to it, as JSON or as the page with the input kept', async () => {
    const empty = await upload(form(new Uint8Array(0), 'Empty Person'), 'application/json');
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('empty_file');

    const doc = await PDFDocument.create();
    doc.addPage([612, 792]).drawRectangle({ x: 50, y: 50, width: 500, height: 700 }); // a scan: no text layer
    const scan = await doc.save();
    const json = await upload(form(scan, 'Scanned Person'), 'application/json');
    expect(json.status).toBe(422);
    const error = ((await json.json()) as { error: { code: string; details: { page?: string } } }).error;
    expect(error.code).toBe('no_extractable_text');
    const id = error.details.page?.split('/').pop() ?? '';
    expect((await t.services.screenings.getScreening(org.orgId, id))?.status).toBe('failed');

    const page = await upload(form(scan, 'Scanned Person'), 'text/html');
    expect(page.status).toBe(422);
    const html = await page.text();
    expect(html).toContain('value="Scanned Person"');
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/The file was kept: <a href="\/screenings\/scr_/);

    const noToken = await upload(
      form(new TextEncoder().encode(seniorResumeText), 'X'),
      'application/json',
      false,
    );
    expect(noToken.status).toBe(403);
  });

  it('is for recruiters and admins: a reviewer gets 403', async () => {
    const user = await t.services.auth.getUser(org.orgId, org.principals.reviewer.userId);
    if (!user) throw new Error('no user');
    const session = await t.services.sessions.create(user, 600, new Date());
    const resolved = await t.services.sessions.resolve(session.value, new Date());
    const res = await app.request(`${origin}/upload`, {
      method: 'POST',
      headers: { cookie: `vetline_session=${session.value}`, origin, 'x-csrf-token': resolved?.csrf ?? '' },
      body: form(new TextEncoder().encode(seniorResumeText), 'X'),
    });
    expect(res.status).toBe(403);
    expect(
      (await app.request(`${origin}/upload`, { headers: { cookie: `vetline_session=${session.value}` } }))
        .status,
    ).toBe(403);
  });
});

describe('the candidate name field', () => {
  it('says on the form and in the API document that giving the name makes blind screening more reliable', async () => {
    const page = await (await app.request(`${origin}/upload`, { headers: { cookie } })).text();
    const hint = /<input[^>]*id="candidateName"[^>]*aria-describedby="candidateName-hint"/.test(page);
    expect(hint).toBe(true);
    expect(page).toMatch(
      /<p class="hint" id="candidateName-hint">Optional, but it makes blind screening more reliable/,
    );
    const doc = (await (await app.request(`${origin}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, { description?: string }> }> };
    };
    const field = doc.components.schemas.ResumeUpload?.properties?.candidateName;
    expect(field?.description).toContain('blind screening more reliable');
  });

  it('offers the resume rubrics with the organisation’s preselected, and records the one chosen', async () => {
    const page = async () => (await app.request(`${origin}/upload`, { headers: { cookie } })).text();
    const before = await page();
    expect(before).toContain('<label for="rubricId">Rubric</label>');
    expect(before).toContain('aria-describedby="rubricId-hint"');
    expect(before).toContain(`<option value="${t.services.config.rubricId}" selected="">`);
    expect(before).not.toContain('value="senior-python-take-home"');

    await t.services.auth.updateOrgSettings(org.orgId, { resumeRubricId: 'senior-python-data-engineer' });
    expect(await page()).toContain('<option value="senior-python-data-engineer" selected="">');

    const chosen = form(new TextEncoder().encode(seniorResumeText), 'Chosen');
    chosen.set('rubricId', 'senior-python-backend');
    const res = await upload(chosen, 'application/json');
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await t.services.screenings.getScreening(org.orgId, id))?.rubricId).toBe('senior-python-backend');

    const wrong = form(new TextEncoder().encode(seniorResumeText), 'Wrong');
    wrong.set('rubricId', 'senior-python-frontend');
    const refused = await upload(wrong, 'text/html');
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('There is no rubric senior-python-frontend.');
    expect(html).toContain('field invalid');
    // The form comes back with the input kept and the organisation's rubric selected again.
    expect(html).toContain('value="Wrong"');
    expect(html).toContain('<option value="senior-python-data-engineer" selected="">');
    await t.services.auth.updateOrgSettings(org.orgId, { resumeRubricId: null });
  });
});
