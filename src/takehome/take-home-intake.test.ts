import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tarGz } from '../../tests/support/archives';
import { seniorResumeText } from '../../tests/support/resumes';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { AppError } from '../core/app-error';
import { submitUploads } from './take-home-intake';

// Fault injection: the reader throws something that is not a refusal (as the tar reader once did with a RangeError)
// for archives holding `crash.py`, and reads every other archive as it really does. Everything else is real.
vi.mock('./take-home', async (importOriginal) => {
  const original = await importOriginal<typeof import('./take-home')>();
  return {
    ...original,
    readTakeHome: (bytes: Uint8Array) => {
      const stored = original.readTakeHome(bytes);
      if (stored.files.some((f) => f.path.endsWith('crash.py'))) throw new TypeError('a bug in the reader');
      return stored;
    },
  };
});

let t: TestServices;
let org: TestOrg;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
  org = await t.newOrg();
});
afterAll(() => t.close());

describe('a take-home reader that fails with something other than a refusal', () => {
  it('refuses the archive as corrupt_archive with both screenings named, keeping the upload', async () => {
    const archive = tarGz([{ name: 'app/crash.py', content: 'x = 1\n' }]);
    let error: unknown;
    try {
      await submitUploads(t.services, org.principals.recruiter, {
        resume: { bytes: new TextEncoder().encode(seniorResumeText), filename: 'cv.txt' },
        takeHome: { bytes: archive, filename: 'p.tar.gz' },
        candidate: { name: 'Priya R.', email: null, externalId: null, position: null },
        source: 'upload',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const refusal = error as AppError;
    expect(refusal.status).toBe(422);
    expect(refusal.code).toBe('corrupt_archive');
    const screeningId = String(refusal.details?.screeningId);
    expect(refusal.details?.related).toEqual([
      { id: expect.stringMatching(/^scr_/), kind: 'resume', status: 'queued' },
    ]);
    const record = await t.services.screenings.get(org.orgId, screeningId);
    expect(record?.screening).toMatchObject({
      kind: 'take-home',
      status: 'failed',
      statusReason: { code: 'corrupt_archive', retryable: false },
    });
    expect((await t.services.blobs.get(record?.submissions[0]?.blobKey ?? ''))?.bytes).toEqual(archive);
  });
});
