import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zip } from '../../tests/support/archives';
import { type FakeOpenAi, startFakeOpenAi } from '../../tests/support/fake-openai-server';
import { projectZip } from '../../tests/support/take-home-project';
import { createTestServices, type TestOrg, type TestServices } from '../../tests/support/test-services';
import { blobKeys } from '../blob/blob-store';
import { loadConfig } from '../core/config';
import { sha256Hex } from '../core/hash';
import { newId } from '../core/ids';
import { OpenAiDrafter } from '../drafting/openai-drafter';
import type { Screening, Submission } from '../screening/screening';
import { decodeTakeHome } from './take-home';

// The worker's take-home job against real services: DynamoDB Local, disk blobs, the in-process queue.
let t: TestServices;
let org: TestOrg;
beforeAll(async () => {
  t = await createTestServices();
  org = await t.newOrg();
});
afterAll(() => t.close());

/** A queued take-home screening whose archive was stored but never read (as if intake had been cut short). */
async function queueUnread(services: TestServices['services'], archive: Uint8Array): Promise<string> {
  const now = new Date().toISOString();
  const submissionId = newId('sub');
  const blobKey = blobKeys.upload(org.orgId, submissionId);
  await services.blobs.put(blobKey, archive, 'application/zip');
  const submission: Submission = {
    id: submissionId,
    kind: 'take-home',
    fileKind: 'zip',
    filename: 'project.zip',
    contentType: 'application/zip',
    sizeBytes: archive.byteLength,
    sha256: sha256Hex(archive),
    blobKey,
    textKey: null,
    charCount: null,
    pageCount: null,
    uploadedAt: now,
  };
  const screening: Screening = {
    id: newId('scr'),
    orgId: org.orgId,
    kind: 'take-home',
    candidateId: newId('cand'),
    status: 'queued',
    statusReason: null,
    version: 1,
    candidate: { name: 'Ada', email: null, externalId: null, position: null },
    rubricId: 'senior-python-take-home',
    source: 'cli',
    createdBy: 'usr_test',
    receivedAt: now,
    updatedAt: now,
    attempts: 0,
    leaseExpiresAt: null,
    submissionIds: [submissionId],
  };
  await services.screenings.create(screening, [submission]);
  await services.queue.enqueue({ orgId: org.orgId, screeningId: screening.id });
  return screening.id;
}

async function settle(services: TestServices, id: string) {
  await services.queue.idle();
  const record = await services.services.screenings.get(org.orgId, id);
  if (!record) throw new Error('screening gone');
  return record;
}

describe('the worker on a take-home', () => {
  it('reads an archive intake did not read, stores what it read, and drafts', async () => {
    const id = await queueUnread(t.services, projectZip());
    const record = await settle(t, id);
    expect(record.screening.status).toBe('drafted');
    const textKey = record.submissions[0]?.textKey ?? '';
    expect(textKey).toBe(blobKeys.text(org.orgId, record.submissions[0]?.id ?? ''));
    const stored = decodeTakeHome((await t.services.blobs.get(textKey))?.bytes ?? new Uint8Array());
    expect(stored.files.map((f) => f.path)).toContain('orders-service/orders/ingest.py');
    expect(record.submissions[0]?.charCount).toBe(stored.files.reduce((n, f) => n + f.content.length, 0));
    expect(record.draft?.provenance.rubricId).toBe('senior-python-take-home');
  });

  it('fails the screening for good, with the reason, when the archive turns out hostile', async () => {
    const id = await queueUnread(t.services, zip({ 'a.py': 'x = 1\n', '/etc/passwd': 'root\n' }));
    const record = await settle(t, id);
    expect(record.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'unsafe_path', retryable: false },
    });
    expect(record.draft).toBeNull();
  });
});

describe('the worker on a take-home, with an LLM that fails', () => {
  let fake: FakeOpenAi;
  let llm: TestServices;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    const config = loadConfig({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-test',
      LLM_MAX_RETRIES: '0',
    });
    if (!config.llm) throw new Error('no LLM config');
    llm = await createTestServices({ drafter: new OpenAiDrafter(config.llm) });
  });
  afterAll(async () => {
    await llm?.close();
    await fake?.close();
  });

  it('ends in failed with the provider’s reason and whether a retry may help', async () => {
    fake.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided.' });
    const id = await queueUnread(llm.services, projectZip());
    const record = await settle(llm, id);
    expect(record.screening).toMatchObject({
      status: 'failed',
      statusReason: { code: 'llm_auth', retryable: false },
    });
    expect(fake.calls.at(-1)?.messages[0]?.content).toContain('senior-python-take-home');
  });
});
