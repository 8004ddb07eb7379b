import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devOrgId, seedDevUsers } from '../../src/auth/dev-seed';
import { docxBomb, pdfBomb } from '../support/bombs';
import { bearer, resumeForm, waitForStatus } from '../support/http';
import { type LocalServer, startLocalServer } from '../support/local-server';
import { seniorResumeText } from '../support/resumes';

// Decompression bombs uploaded over a real socket to the local runtime as `npm start` builds it: each is refused with
// its reason, the upload is kept, the screening fails saying why, and the service goes on serving.

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';
const GiB = 1024 ** 3;

let server: LocalServer;
let tokens: Record<'recruiter' | 'reviewer' | 'admin', string>;

beforeAll(async () => {
  server = await startLocalServer();
  const seeded = await seedDevUsers(
    server.runtime.services.auth,
    server.runtime.services.config.dataDir,
    new Date(),
  );
  tokens = seeded.tokens as typeof tokens;
});
afterAll(() => server?.close());

async function refused(bytes: Uint8Array, filename: string, status: number, code: string) {
  const res = await server.fetch('/v1/screenings', {
    method: 'POST',
    headers: bearer(tokens.recruiter),
    body: resumeForm(bytes, filename),
  });
  const body = (await res.json()) as { error: { code: string; details: Record<string, unknown> } };
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  const id = String(body.error.details.screeningId);
  const detail = await waitForStatus(server.fetch, tokens.reviewer, id, ['failed']);
  expect(detail.screening).toMatchObject({ status: 'failed', statusReason: { code, retryable: false } });
  const record = await server.runtime.services.screenings.get(devOrgId, id);
  const kept = await server.runtime.services.blobs.get(record?.submissions[0]?.blobKey ?? '');
  // Compared as buffers: an element-by-element diff of a megabyte is slow.
  expect(Buffer.from(kept?.bytes ?? []).equals(bytes)).toBe(true);
  return body.error.details;
}

describe('decompression bombs over HTTP', () => {
  it('refuses a DOCX whose document inflates to a gigabyte while declaring 4 KB, naming the part', async () => {
    const { docx } = docxBomb({ text: ABOUT, inflatedBytes: GiB, declaredBytes: 4096 });
    const details = await refused(docx, 'liar.docx', 422, 'corrupt_file');
    expect(details).toMatchObject({ part: 'word/document.xml', declaredBytes: 4096 });
  });

  it('refuses a DOCX that declares a part over the limit, before inflating it', async () => {
    const { docx } = docxBomb({ text: ABOUT, inflatedBytes: 100 * 1024 * 1024 });
    const details = await refused(docx, 'honest-bomb.docx', 413, 'file_too_large');
    expect(details).toMatchObject({ part: 'word/document.xml', limitBytes: 32 * 1024 * 1024 });
  });

  it('refuses a PDF whose content stream inflates to a gigabyte, stopping just past the limit', async () => {
    const { pdf } = pdfBomb({ text: ABOUT, inflatedBytes: GiB, encoding: 'flate-twice' });
    const details = await refused(pdf, 'bomb.pdf', 413, 'file_too_large');
    const limit = 128 * 1024 * 1024;
    expect(details).toMatchObject({ limitBytes: limit });
    expect(details.decodedBytes).toBeLessThan(limit + 8 * 1024 * 1024);
  });

  it('goes on serving: a real resume after the bombs is drafted', async () => {
    expect((await server.fetch('/healthz')).status).toBe(200);
    const res = await server.fetch('/v1/screenings', {
      method: 'POST',
      headers: bearer(tokens.recruiter),
      body: resumeForm(new TextEncoder().encode(seniorResumeText), 'priya.txt'),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = await waitForStatus(server.fetch, tokens.reviewer, id, ['drafted', 'failed'], 30_000);
    expect(done.screening.status).toBe('drafted');
  });
});
