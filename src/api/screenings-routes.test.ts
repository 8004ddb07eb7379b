import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { Assessment } from '../assessment/assessment';
import { createApp } from './app';

// The API through `app.request`: real services (DynamoDB Local, disk blobs, in-process queue, offline drafter), no
// listening socket. The end-to-end suite covers the same routes over a real socket.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
const text = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  t = await createTestServices({ env: { VETLINE_MAX_UPLOAD_BYTES: String(256 * 1024) } });
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

const upload = (token: string, form: FormData) =>
  request('/v1/screenings', { method: 'POST', headers: bearer(token), body: form });

async function scannedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  page.drawRectangle({ x: 50, y: 50, width: 500, height: 700 }); // an image-like page with no text layer
  return doc.save();
}

describe('POST /v1/screenings', () => {
  it('accepts a resume, answers 202, and the screening reaches drafted with a schema-valid assessment', async () => {
    const res = await upload(org.tokens.recruiter, resumeForm(text(seniorResumeText), 'priya.txt'));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string; links: { self: string } };
    expect(body.id).toMatch(/^scr_/);
    expect(body.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/screenings/${body.id}`);

    const done = await waitForStatus(request, org.tokens.reviewer, body.id, ['drafted', 'failed']);
    expect(done.screening.status).toBe('drafted');
    const assessment = Assessment.parse(done.assessment);
    expect(assessment.provenance).toMatchObject({
      drafter: 'offline',
      rubricId: 'senior-python-backend',
      model: 'offline-rules-v1',
      promptId: 'resume-screen',
    });
    expect(assessment.flags.map((f) => f.code)).toContain('offline_drafter');
    expect(assessment.competencies).toHaveLength(t.rubric.competencies.length);
    // Every quote is grounded: the offsets point at exactly that text.
    for (const c of assessment.competencies) {
      for (const e of c.evidence) expect(seniorResumeText.slice(e.start ?? 0, e.end ?? 0)).toBe(e.quote);
    }
    expect(
      assessment.competencies.find((c) => c.competencyId === 'async-concurrency')?.level,
    ).toBeGreaterThanOrEqual(3);
    // The stored submission says what was uploaded, without internal blob keys.
    expect(done.submissions).toEqual([
      expect.objectContaining({
        fileKind: 'text',
        filename: 'priya.txt',
        sizeBytes: text(seniorResumeText).byteLength,
      }),
    ]);
    expect(JSON.stringify(done.submissions)).not.toContain('blobKey');
  });

  it('answers 401 without a token or with a forged one', async () => {
    const form = resumeForm(text(seniorResumeText), 'a.txt');
    expect((await request('/v1/screenings', { method: 'POST', body: form })).status).toBe(401);
    const forged = org.tokens.recruiter.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await upload(forged, form);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('answers 403 to a reviewer, who may read but not upload', async () => {
    const res = await upload(org.tokens.reviewer, resumeForm(text(seniorResumeText), 'a.txt'));
    expect(res.status).toBe(403);
  });

  it('answers 415 to a disguised file, whatever its name says', async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    const res = await upload(org.tokens.recruiter, resumeForm(png, 'resume.pdf'));
    expect(res.status).toBe(415);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_file_type');
    expect(body.error.message).toMatch(/PDF/);
  });

  it('answers 422 to an empty file', async () => {
    const res = await upload(org.tokens.recruiter, resumeForm(new Uint8Array(0), 'empty.pdf'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('empty_file');
  });

  it('answers 422 to a PDF without a text layer, keeps the upload, and records a failed screening', async () => {
    const pdf = await scannedPdf();
    const res = await upload(org.tokens.recruiter, resumeForm(pdf, 'scan.pdf'));
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; message: string; details: { screeningId: string } };
    };
    expect(body.error.code).toBe('no_extractable_text');
    const id = body.error.details.screeningId;
    const detail = await waitForStatus(request, org.tokens.reviewer, id, ['failed']);
    expect(detail.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'no_extractable_text' },
    });
    expect(detail.assessment).toBeNull();
    const record = await t.services.screenings.get(org.orgId, id);
    const kept = await t.services.blobs.get(record?.submissions[0]?.blobKey ?? '');
    expect(kept?.bytes).toEqual(pdf);
  });

  it('answers 413 over the size limit', async () => {
    const big = text(`${seniorResumeText}\n${'x'.repeat(300 * 1024)}`);
    const res = await upload(org.tokens.recruiter, resumeForm(big, 'big.txt'));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('file_too_large');
  });

  it('answers 400 naming the field when the resume is missing or a field is malformed', async () => {
    const noFile = new FormData();
    noFile.set('candidateName', 'Nobody');
    const res = await upload(org.tokens.recruiter, noFile);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'resume',
    );

    const badEmail = resumeForm(text(seniorResumeText), 'a.txt', { candidateEmail: 'not-an-email' });
    const res2 = await upload(org.tokens.recruiter, badEmail);
    expect(res2.status).toBe(400);
    expect(((await res2.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'candidateEmail',
    );
  });

  it('answers 400 to a body that is not multipart at all', async () => {
    const res = await request('/v1/screenings', {
      method: 'POST',
      headers: { ...bearer(org.tokens.recruiter), 'content-type': 'multipart/form-data; boundary=zzz' },
      body: 'this is not multipart',
    });
    expect(res.status).toBe(400);
  });
});

describe('GET /v1/screenings', () => {
  it('answers 404 for another organisation’s screening and for ids that are not ids', async () => {
    const other = await t.newOrg();
    const res = await upload(org.tokens.recruiter, resumeForm(text(seniorResumeText), 'a.txt'));
    const { id } = (await res.json()) as { id: string };
    expect((await request(`/v1/screenings/${id}`, { headers: bearer(other.tokens.admin) })).status).toBe(404);
    expect((await request('/v1/screenings/not-an-id', { headers: bearer(org.tokens.admin) })).status).toBe(
      404,
    );
  });

  it('lists the organisation’s drafted screenings oldest first with a cursor', async () => {
    const fresh = await t.newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(
        fresh.tokens.recruiter,
        resumeForm(text(`${seniorResumeText}\n#${i}`), `r${i}.txt`),
      );
      ids.push(((await res.json()) as { id: string }).id);
    }
    for (const id of ids) await waitForStatus(request, fresh.tokens.reviewer, id, ['drafted']);
    const page1 = await request('/v1/screenings?status=drafted&limit=2', {
      headers: bearer(fresh.tokens.reviewer),
    });
    const body1 = (await page1.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(body1.items.map((s) => s.id)).toEqual(ids.slice(0, 2));
    const page2 = await request(`/v1/screenings?status=drafted&limit=2&cursor=${body1.nextCursor}`, {
      headers: bearer(fresh.tokens.reviewer),
    });
    const body2 = (await page2.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(body2.items.map((s) => s.id)).toEqual(ids.slice(2));
    expect(body2.nextCursor).toBeNull();
  });

  it('answers 400 naming the parameter for a bad status or limit', async () => {
    const res = await request('/v1/screenings?status=bogus', { headers: bearer(org.tokens.reviewer) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'status',
    );
    const res2 = await request('/v1/screenings?limit=1000', { headers: bearer(org.tokens.reviewer) });
    expect(res2.status).toBe(400);
  });
});

describe('POST /v1/screenings/{id}/requeue', () => {
  it('is for admins only and only for failed screenings', async () => {
    const res = await upload(org.tokens.recruiter, resumeForm(text(seniorResumeText), 'a.txt'));
    const { id } = (await res.json()) as { id: string };
    await waitForStatus(request, org.tokens.reviewer, id, ['drafted']);
    const asReviewer = await request(`/v1/screenings/${id}/requeue`, {
      method: 'POST',
      headers: bearer(org.tokens.reviewer),
    });
    expect(asReviewer.status).toBe(403);
    const asAdmin = await request(`/v1/screenings/${id}/requeue`, {
      method: 'POST',
      headers: bearer(org.tokens.admin),
    });
    expect(asAdmin.status).toBe(409);
  });
});

describe('OpenAPI', () => {
  it('serves a spec generated from the zod schemas, and a docs page that renders it', async () => {
    const spec = (await (await request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/screenings', '/v1/screenings/{id}', '/v1/screenings/{id}/requeue']),
    );
    expect(spec.paths['/v1/screenings']).toHaveProperty('post');
    expect(spec.components.schemas).toHaveProperty('ScreeningDetail');
    const docs = await request('/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain('/v1/screenings/{id}');
    expect(html).toContain('Submit a resume for screening');
  });
});

describe('blind screening through the API, with and without candidateName', () => {
  // The name is in the body only: nothing in the header says who wrote it.
  const nameless = `${seniorResumeText.split('\n').slice(1).join('\n')}\n- Priya Raman led the migration.\n`;
  const screen = async (body: string, fields: Record<string, string>) => {
    const res = await upload(org.tokens.recruiter, resumeForm(text(body), 'cv.txt', fields));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    return waitForStatus(request, org.tokens.reviewer, id, ['drafted', 'failed']);
  };
  const redactions = (done: Record<string, unknown>) =>
    Assessment.parse(done.assessment).provenance.blindScreening?.redactions ?? {};

  it('finds the name in the resume when none is given, and removes it', async () => {
    const done = await screen(seniorResumeText, { position: 'Senior Python engineer' });
    expect(done.screening).toMatchObject({ status: 'drafted', candidate: { name: null } });
    expect(redactions(done)).toMatchObject({ name: 1 });
  });

  it('fails closed when none is given and none can be found, and drafts once the name is given', async () => {
    const failed = await screen(nameless, {});
    expect(failed.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'blind_screening_failed', message: expect.stringContaining('candidateName') },
    });
    const named = await screen(nameless, { candidateName: 'Priya Raman' });
    expect(named.screening).toMatchObject({ status: 'drafted', candidate: { name: 'Priya Raman' } });
    expect(redactions(named)).toMatchObject({ name: 1 });
  });
});
