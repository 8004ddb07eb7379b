import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataEngineerResumeText } from '../../tests/support/data-engineer-resume';
import { createTestServices, type TestServices } from '../../tests/support/test-services';
import { createDocumentClient } from '../store/dynamo';
import { keys } from '../store/table';
import { submitResume } from './intake';
import { processScreeningJob } from './process-screening';

// The worker drafts a resume with the rubric its screening recorded at intake, against DynamoDB Local.
let t: TestServices;

beforeAll(async () => {
  t = await createTestServices({ startWorker: false });
});
afterAll(() => t.close());

async function submitted(rubricId?: string) {
  const org = await t.newOrg();
  const screening = await submitResume(t.services, org.principals.recruiter, {
    bytes: new TextEncoder().encode(dataEngineerResumeText),
    filename: 'mara.txt',
    candidate: { name: 'Mara Quist', email: null, externalId: null, position: null },
    source: 'upload',
    ...(rubricId ? { rubricId } : {}),
  });
  return { orgId: org.orgId, id: screening.id, rubricId: screening.rubricId };
}

describe('the resume kind', () => {
  it('drafts with the screening’s rubric, not the deployment’s', async () => {
    const s = await submitted('senior-python-data-engineer');
    expect(s.rubricId).toBe('senior-python-data-engineer');
    await processScreeningJob(t.services, { orgId: s.orgId, screeningId: s.id });
    const record = await t.services.screenings.get(s.orgId, s.id);
    expect(record?.screening.status).toBe('drafted');
    expect(record?.draft?.provenance.rubricId).toBe('senior-python-data-engineer');
    expect(record?.draft?.competencies.map((c) => c.competencyId)).toContain('pipeline-orchestration');
  });

  it('fails the screening with rubric_missing when its rubric is no longer deployed, and drafts nothing', async () => {
    const s = await submitted();
    expect(s.rubricId).toBe(t.services.config.rubricId);
    // As if the rubric file had been removed or renamed between intake and drafting.
    const db = createDocumentClient({ endpoint: t.services.config.dynamo.endpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: keys.screening(s.orgId, s.id),
        UpdateExpression: 'SET rubricId = :r',
        ExpressionAttributeValues: { ':r': 'retired-rubric' },
      }),
    );
    db.destroy();
    await processScreeningJob(t.services, { orgId: s.orgId, screeningId: s.id });
    const record = await t.services.screenings.get(s.orgId, s.id);
    expect(record?.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'rubric_missing', retryable: false },
    });
    expect(record?.screening.statusReason?.message).toContain('retired-rubric');
    expect(record?.draft).toBeNull();
  });
});
