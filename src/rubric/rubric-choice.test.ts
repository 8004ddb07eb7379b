import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { AppError } from '../core/app-error';
import { requireResumeRubric, resumeRubricFor } from './rubric-choice';

// Which rubric a new resume screening records, against DynamoDB Local (the organisation's settings are stored there).
let t: TestServices;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());

const refusal = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

describe('resumeRubricFor', () => {
  it('takes the upload’s rubric, else the organisation’s, else the deployment’s', async () => {
    const org = await t.newOrg();
    expect(await resumeRubricFor(t.services, org.orgId)).toBe(t.services.config.rubricId);
    await t.services.auth.updateOrgSettings(org.orgId, { resumeRubricId: 'senior-python-data-engineer' });
    expect(await resumeRubricFor(t.services, org.orgId)).toBe('senior-python-data-engineer');
    expect(await resumeRubricFor(t.services, org.orgId, null)).toBe('senior-python-data-engineer');
    expect(await resumeRubricFor(t.services, org.orgId, 'senior-python-backend')).toBe(
      'senior-python-backend',
    );
  });

  it('refuses an upload’s rubric that is unknown or not for resumes, naming the field `rubricId`', async () => {
    const org = await t.newOrg();
    for (const id of ['no-such-rubric', 'senior-python-take-home', '../../etc/passwd']) {
      const error = await refusal(resumeRubricFor(t.services, org.orgId, id));
      expect(error.status).toBe(400);
      expect(error.code).toBe('unknown_rubric');
      expect(error.details).toMatchObject({
        field: 'rubricId',
        rubrics: ['senior-python-backend', 'senior-python-data-engineer'],
      });
    }
  });

  it('falls back to the deployment’s rubric when the organisation’s is no longer deployed', async () => {
    const org = await t.newOrg();
    // Written past the admin's check, as if the file had been removed since it was chosen.
    await t.services.auth.updateOrgSettings(org.orgId, { resumeRubricId: 'retired-rubric' });
    expect(await resumeRubricFor(t.services, org.orgId)).toBe(t.services.config.rubricId);
  });
});

describe('requireResumeRubric', () => {
  it('gives the catalogue entry of a resume rubric', async () => {
    expect(await requireResumeRubric('senior-python-data-engineer', 'x')).toMatchObject({
      id: 'senior-python-data-engineer',
      kind: 'resume',
      title: 'Senior Python data engineer',
    });
    const error = await refusal(requireResumeRubric('senior-python-take-home', 'resumeRubricId'));
    expect(error.message).toMatch(/not for resumes/);
    expect(error.details?.field).toBe('resumeRubricId');
  });
});
