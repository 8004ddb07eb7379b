import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paxLengthBomb, zip } from '../../tests/support/archives';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { seniorResumeText } from '../../tests/support/resumes';
import { projectTarGz, projectZip } from '../../tests/support/take-home-project';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { Assessment } from '../assessment/assessment';
import { createApp } from './app';
import { ScreeningView } from './schemas';

// Take-homes through `POST /v1/screenings` and `GET /v1/take-homes/{id}`: real services (DynamoDB Local, disk blobs,
// in-process queue, offline drafter), the app through `app.request`.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;
const text = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  t = await createTestServices({ env: { VETLINE_MAX_TAKE_HOME_BYTES: String(512 * 1024) } });
  org = await t.newOrg();
  const app = createApp(t.services);
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

function form(files: { resume?: Uint8Array; takeHome?: Uint8Array; takeHomeName?: string }): FormData {
  const body = files.resume ? resumeForm(files.resume, 'priya.txt') : new FormData();
  if (files.takeHome)
    body.set('takeHome', new File([files.takeHome], files.takeHomeName ?? 'orders-service.zip'));
  if (!files.resume) body.set('candidateName', 'Priya R.');
  return body;
}

const post = (body: FormData, token = org.tokens.recruiter) =>
  request('/v1/screenings', { method: 'POST', headers: bearer(token), body });

interface AcceptedBody {
  id: string;
  status: string;
  related: Array<{ id: string; kind: string; status: string }>;
}

describe('a resume and a take-home in one request', () => {
  it('creates two screenings of one candidate, and drafts the take-home with path:line evidence', async () => {
    const res = await post(form({ resume: text(seniorResumeText), takeHome: projectZip() }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as AcceptedBody;
    expect(body.related).toEqual([
      { id: expect.stringMatching(/^scr_/), kind: 'take-home', status: 'queued' },
    ]);
    const takeHomeId = body.related[0]?.id ?? '';

    const resume = await waitForStatus(request, org.tokens.reviewer, body.id, ['drafted', 'failed']);
    const takeHome = await waitForStatus(request, org.tokens.reviewer, takeHomeId, ['drafted', 'failed']);
    expect(resume.screening.status).toBe('drafted');
    expect(takeHome.screening).toMatchObject({
      status: 'drafted',
      kind: 'take-home',
      rubricId: 'senior-python-take-home',
      candidateId: ScreeningView.parse(resume.screening).candidateId,
    });
    expect(takeHome.submissions).toEqual([
      expect.objectContaining({
        kind: 'take-home',
        fileKind: 'zip',
        filename: 'orders-service.zip',
        pageCount: null,
      }),
    ]);
    const assessment = Assessment.parse(takeHome.assessment);
    expect(assessment.provenance).toMatchObject({
      drafter: 'offline',
      rubricId: 'senior-python-take-home',
      promptId: 'take-home-review',
    });
    const evidence = assessment.competencies.flatMap((c) => c.evidence);
    expect(evidence.length).toBeGreaterThan(8);
    for (const e of evidence) {
      expect(e).toMatchObject({ source: 'take-home', start: null, end: null });
      expect(e.file).toMatch(/^orders-service\//);
      expect(e.lineStart).toBeGreaterThanOrEqual(1);
      expect(e.lineEnd).toBeGreaterThanOrEqual(e.lineStart ?? 1);
    }
  });

  it('shows the reviewer what was read, what was skipped and the static signals', async () => {
    const res = await post(form({ takeHome: projectTarGz(), takeHomeName: 'orders.tar.gz' }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as AcceptedBody;
    expect(body.related).toEqual([]);
    const view = await request(`/v1/take-homes/${body.id}`, { headers: bearer(org.tokens.reviewer) });
    expect(view.status).toBe(200);
    const read = (await view.json()) as {
      archive: { kind: string };
      files: Array<{ path: string; role: string; content?: string }>;
      skipped: Array<{ path: string; reason: string; files: number }>;
      signals: { typing: { coverage: number }; signals: Array<{ id: string }> };
    };
    expect(read.archive.kind).toBe('tar.gz');
    expect(read.files.map((f) => f.path)).toContain('orders-service/orders/ingest.py');
    expect(read.files.every((f) => f.content === undefined)).toBe(true);
    expect(read.skipped).toContainEqual({ path: 'orders-service/.venv/', reason: 'virtualenv', files: 3 });
    expect(read.signals.typing.coverage).toBe(1);
    expect(read.signals.signals.map((s) => s.id)).toContain('select-related');
    // Another organisation sees nothing.
    const other = await t.newOrg();
    expect((await request(`/v1/take-homes/${body.id}`, { headers: bearer(other.tokens.admin) })).status).toBe(
      404,
    );
  });
});

describe('refused take-homes', () => {
  it('answers 422 to a zip slip, keeps the upload and records the failure, while the resume goes ahead', async () => {
    const evil = zip({ 'app/main.py': 'print(1)\n', '../../etc/cron.d/evil': '* * * * * root sh\n' });
    const res = await post(form({ resume: text(seniorResumeText), takeHome: evil }));
    expect(res.status).toBe(422);
    const error = (
      (await res.json()) as {
        error: {
          code: string;
          details: { screeningId: string; entry: string; related: AcceptedBody['related'] };
        };
      }
    ).error;
    expect(error.code).toBe('unsafe_path');
    expect(error.details.entry).toBe('../../etc/cron.d/evil');
    expect(error.details.related).toEqual([
      { id: expect.stringMatching(/^scr_/), kind: 'resume', status: 'queued' },
    ]);

    const failed = await waitForStatus(request, org.tokens.reviewer, error.details.screeningId, ['failed']);
    expect(failed.screening).toMatchObject({
      kind: 'take-home',
      statusReason: { code: 'unsafe_path', retryable: false },
    });
    const record = await t.services.screenings.get(org.orgId, error.details.screeningId);
    expect((await t.services.blobs.get(record?.submissions[0]?.blobKey ?? ''))?.bytes).toEqual(evil);
    const resume = await waitForStatus(request, org.tokens.reviewer, error.details.related[0]?.id ?? '', [
      'drafted',
    ]);
    expect(resume.screening.status).toBe('drafted');
    expect(
      (await request(`/v1/take-homes/${error.details.screeningId}`, { headers: bearer(org.tokens.reviewer) }))
        .status,
    ).toBe(409);
  });

  it('answers 422 naming both screenings when the take-home of a combined upload is a crafted tar.gz', async () => {
    // The pax length bomb once threw a RangeError from the tar reader: a 500 with no ids, after the resume screening
    // had been created and queued, and the archive stored with no screening.
    const bomb = paxLengthBomb();
    const res = await post(
      form({ resume: text(seniorResumeText), takeHome: bomb, takeHomeName: 'p.tar.gz' }),
    );
    expect(res.status).toBe(422);
    const error = (
      (await res.json()) as {
        error: { code: string; details: { screeningId: string; related: AcceptedBody['related'] } };
      }
    ).error;
    expect(error.code).toBe('corrupt_archive');
    expect(error.details.screeningId).toMatch(/^scr_/);
    expect(error.details.related).toEqual([
      { id: expect.stringMatching(/^scr_/), kind: 'resume', status: 'queued' },
    ]);
    const failed = await waitForStatus(request, org.tokens.reviewer, error.details.screeningId, ['failed']);
    expect(failed.screening).toMatchObject({
      kind: 'take-home',
      statusReason: { code: 'corrupt_archive', retryable: false },
    });
    const record = await t.services.screenings.get(org.orgId, error.details.screeningId);
    expect((await t.services.blobs.get(record?.submissions[0]?.blobKey ?? ''))?.bytes).toEqual(bomb);
    const resume = await waitForStatus(request, org.tokens.reviewer, error.details.related[0]?.id ?? '', [
      'drafted',
    ]);
    expect(resume.screening.status).toBe('drafted');
  });

  it('answers 422 to a zip bomb and to an archive with no Python in it', async () => {
    const bomb = await post(form({ takeHome: zip({ 'data.py': new Uint8Array(5 * 1024 * 1024) }) }));
    expect(bomb.status).toBe(422);
    expect(((await bomb.json()) as { error: { code: string } }).error.code).toBe(
      'suspicious_compression_ratio',
    );
    const empty = await post(
      form({ takeHome: zip({ 'README.md': '# Nothing here\n', '.venv/x.py': 'x = 1\n' }) }),
    );
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('no_python_files');
  });

  it('answers 415 to a take-home that is not an archive, storing nothing, and 413 over the size limit', async () => {
    const before = await t.services.screenings.listByStatus(org.orgId, 'queued', { limit: 100 });
    const res = await post(
      form({ resume: text(seniorResumeText), takeHome: text('%PDF-1.7 not an archive') }),
    );
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual({
      accepted: ['zip', 'tar.gz'],
      detected: 'pdf',
    });
    const after = await t.services.screenings.listByStatus(org.orgId, 'queued', { limit: 100 });
    expect(after.items.length).toBe(before.items.length);

    // Random bytes do not compress: the archive is over the 512 KiB limit set for this file.
    const big = await post(form({ takeHome: zip({ 'a.bin': new Uint8Array(randomBytes(600 * 1024)) }) }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe('file_too_large');
  });

  it('answers 400 naming the field when neither a resume nor a take-home is sent', async () => {
    const res = await post(form({}));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(
      'resume',
    );
  });
});

describe('OpenAPI', () => {
  it('describes the take-home routes and the optional takeHome field', async () => {
    const spec = (await (await request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/candidates/{candidateId}',
        '/v1/candidates/{candidateId}/take-homes',
        '/v1/take-homes/{id}',
      ]),
    );
    expect(spec.components.schemas.ResumeUpload?.properties).toHaveProperty('takeHome');
    expect(spec.components.schemas.ResumeUpload?.required ?? []).not.toContain('resume');
    expect(spec.components.schemas.ScreeningAccepted?.required).toContain('related');
  });
});
