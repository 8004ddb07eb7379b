import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type Fetcher, resumeForm, waitForStatus } from '../../tests/support/http';
import { corpusResumes, seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { createApp } from '../api/app';
import { Assessment } from '../assessment/assessment';
import { StoredText } from './screening';

// The split that runs on AWS: an API without the PDF and DOCX parsers (it only stores and queues), and a worker that
// extracts in the `extracting` step. Same DynamoDB Local, same blob folder, same queue.
let t: TestServices;
let org: TestOrg;
let request: Fetcher;

beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
  const app = createApp({ ...t.services, extract: null });
  request = async (path, init) => app.request(path, init);
});
afterAll(() => t.close());

const upload = (form: FormData) =>
  request('/v1/screenings', { method: 'POST', headers: bearer(org.tokens.recruiter), body: form });

describe('extraction in the worker, when the API has no extractor', () => {
  it('accepts a corpus PDF at once, then the worker extracts, stores the text and drafts', async () => {
    const pdf = corpusResumes().find((r) => r.name.endsWith('.pdf'));
    if (!pdf) throw new Error('no PDF in the corpus');
    const res = await upload(resumeForm(pdf.bytes, pdf.name));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const done = await waitForStatus(request, org.tokens.reviewer, id, ['drafted', 'failed']);
    expect(done.screening.status).toBe('drafted');
    const submissions = done.submissions as Array<{ charCount: number | null; pageCount: number | null }>;
    expect(submissions[0]?.charCount).toBeGreaterThan(500);
    expect(submissions[0]?.pageCount).toBeGreaterThanOrEqual(1);

    const record = await t.services.screenings.get(org.orgId, id);
    const textKey = record?.submissions[0]?.textKey;
    expect(textKey).toBeTruthy();
    const blob = await t.services.blobs.get(textKey ?? '');
    const stored = StoredText.parse(JSON.parse(new TextDecoder().decode(blob?.bytes)));
    expect(stored.kind).toBe('pdf');
    // Every quote of the draft is found at its offsets in the text the worker extracted.
    const assessment = Assessment.parse(done.assessment);
    for (const c of assessment.competencies) {
      for (const e of c.evidence) expect(stored.text.slice(e.start ?? 0, e.end ?? 0)).toBe(e.quote);
    }
  });

  it('ends a scanned PDF in failed with the extractor’s reason, and keeps the upload', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([612, 792]).drawRectangle({ x: 50, y: 50, width: 500, height: 700 });
    const bytes = await doc.save();
    const res = await upload(resumeForm(bytes, 'scan.pdf'));
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const done = await waitForStatus(request, org.tokens.reviewer, id, ['drafted', 'failed']);
    expect(done.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'no_extractable_text', retryable: false },
    });
    const record = await t.services.screenings.get(org.orgId, id);
    const kept = await t.services.blobs.get(record?.submissions[0]?.blobKey ?? '');
    expect(kept?.bytes).toEqual(new Uint8Array(bytes));
    expect(record?.submissions[0]?.textKey).toBeNull();
  });

  it('drafts a text resume the same way it does when the API extracts', async () => {
    const res = await upload(resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.txt'));
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(request, org.tokens.reviewer, id, ['drafted', 'failed']);
    expect(done.screening.status).toBe('drafted');
    const level = Assessment.parse(done.assessment).competencies.find(
      (c) => c.competencyId === 'async-concurrency',
    )?.level;
    expect(level).toBeGreaterThanOrEqual(3);
  });
});
