import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { devOrgId } from '../../src/auth/dev-seed';
import { loadConfig } from '../../src/core/config';
import { newId } from '../../src/core/ids';
import { createTableStores } from '../../src/core/table-stores';
import { createDocumentClient } from '../../src/store/dynamo';
import { repoRoot, seniorResumeText } from '../support/resumes';
import { PROJECT_FILES, projectTarGz, projectZip } from '../support/take-home-project';

// `npm run screen` as a user runs it: a separate process (tsx) against this run's DynamoDB Local, a table and a data
// folder of its own, the offline drafter.
const run = promisify(execFile);
let dir: string;
let env: NodeJS.ProcessEnv;
const table = `vetline-cli-${newId('evt').slice(4).toLowerCase()}`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vetline-cli-'));
  await writeFile(path.join(dir, 'priya.txt'), seniorResumeText);
  // The same resume without its header line: the name is only in the body, where the finder does not look.
  await writeFile(
    path.join(dir, 'nameless.txt'),
    `${seniorResumeText.split('\n').slice(1).join('\n')}\n- Priya Raman led the migration.\n`,
  );
  await writeFile(path.join(dir, 'orders-service.zip'), projectZip());
  await writeFile(path.join(dir, 'orders-service.tar.gz'), projectTarGz());
  env = {
    ...process.env,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    DYNAMODB_TABLE: table,
    VETLINE_DATA_DIR: path.join(dir, 'data'),
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const screen = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli/screen.ts'), ...args], {
    env,
    cwd: repoRoot,
    timeout: 120_000,
  });

/** Every `path:line[-line]` the output names, with the numbered lines printed under it. */
function evidenceBlocks(out: string): Array<{ file: string; from: number; lines: Array<[number, string]> }> {
  const blocks: Array<{ file: string; from: number; lines: Array<[number, string]> }> = [];
  for (const line of out.split('\n')) {
    const place = /^ {6}(\S+):(\d+)(?:-\d+)?$/.exec(line);
    if (place) blocks.push({ file: place[1] as string, from: Number(place[2]), lines: [] });
    const numbered = /^ {8}\s*(\d+) \| (.*)$/.exec(line);
    if (numbered) blocks.at(-1)?.lines.push([Number(numbered[1]), numbered[2] as string]);
  }
  return blocks;
}

describe('npm run screen', () => {
  it('screens a resume and its take-home as one candidate, printing take-home evidence as path:line with the lines', async () => {
    const { stdout, stderr } = await screen(
      path.join(dir, 'priya.txt'),
      '--take-home',
      path.join(dir, 'orders-service.zip'),
    );
    expect(stderr).toMatch(/priya\.txt: drafted in \d+ ms \(scr_/);
    expect(stderr).toMatch(/orders-service\.zip: drafted in \d+ ms \(scr_/);
    const ids = [...stdout.matchAll(/^(?:priya\.txt|orders-service\.zip) \((scr_\w+)\)$/gm)].map(
      (m) => m[1] as string,
    );
    expect(ids).toHaveLength(2);

    const blocks = evidenceBlocks(stdout);
    expect(blocks.length).toBeGreaterThan(8);
    for (const block of blocks) {
      const content = (PROJECT_FILES[block.file] ?? '').split('\n');
      expect(block.lines.length, block.file).toBeGreaterThan(0);
      expect(block.lines[0]?.[0]).toBe(block.from);
      for (const [n, text] of block.lines) expect(text, `${block.file}:${n}`).toBe(content[n - 1]);
    }

    // Both screenings are in the table under one candidate.
    const config = loadConfig({ DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DYNAMODB_TABLE: table });
    const db = createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: config.dynamo.region });
    try {
      const { screenings } = createTableStores(db, table, config.drafting);
      const found = await Promise.all(ids.map((id) => screenings.getScreening(devOrgId, id)));
      expect(found.map((s) => s?.kind).sort()).toEqual(['resume', 'take-home']);
      expect(found[0]?.candidateId).toBe(found[1]?.candidateId);
    } finally {
      db.destroy();
    }
  });

  it('screens a .tar.gz on its own as a take-home', async () => {
    const { stdout } = await screen(path.join(dir, 'orders-service.tar.gz'), '--json');
    const printed = JSON.parse(stdout) as { assessment: { provenance: { rubricId: string } } };
    expect(printed.assessment.provenance.rubricId).toBe('senior-python-take-home');
  });

  it('fails closed on a resume whose name cannot be found, and says to pass --name', async () => {
    const failed = await screen(path.join(dir, 'nameless.txt')).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain('(blind_screening_failed)');
    expect(failed.stderr).toContain("the candidate's name could not be found in the file");
    expect(failed.stderr).toContain('--name "<full name>"');
  });

  it('takes the name and email from --name and --email into intake, and blind screening removes them', async () => {
    const { stdout, stderr } = await screen(
      path.join(dir, 'nameless.txt'),
      '--name',
      'Priya Raman',
      '--email',
      'priya@example.com',
      '--json',
    );
    expect(stderr).toMatch(/nameless\.txt: drafted in \d+ ms/);
    const printed = JSON.parse(stdout) as {
      screeningId: string;
      assessment: {
        provenance: { blindScreening: { enabled: boolean; redactions: Record<string, number> } };
      };
    };
    expect(printed.assessment.provenance.blindScreening.enabled).toBe(true);
    expect(printed.assessment.provenance.blindScreening.redactions).toMatchObject({ name: 1, email: 1 });

    const config = loadConfig({ DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), DYNAMODB_TABLE: table });
    const db = createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: config.dynamo.region });
    try {
      const { screenings } = createTableStores(db, table, config.drafting);
      const stored = await screenings.getScreening(devOrgId, printed.screeningId);
      expect(stored?.candidate).toMatchObject({ name: 'Priya Raman', email: 'priya@example.com' });
    } finally {
      db.destroy();
    }
  });

  it('refuses --name for more than one file, and a malformed --email, before starting anything', async () => {
    const many = await screen(dir, '--name', 'Priya Raman').catch((e) => e);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--name and --email belong to one candidate');
    const bad = await screen(path.join(dir, 'priya.txt'), '--email', 'not-an-email').catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--email is not valid');
  });

  it('drafts with the rubric --rubric names, and refuses one that is not a resume rubric before starting', async () => {
    const { stdout } = await screen(
      path.join(dir, 'priya.txt'),
      '--rubric',
      'senior-python-data-engineer',
      '--json',
    );
    const printed = JSON.parse(stdout) as {
      assessment: { provenance: { rubricId: string }; competencies: Array<{ competencyId: string }> };
    };
    expect(printed.assessment.provenance.rubricId).toBe('senior-python-data-engineer');
    expect(printed.assessment.competencies.map((c) => c.competencyId)).toContain('streaming-brokers');
    const wrong = await screen(path.join(dir, 'priya.txt'), '--rubric', 'senior-python-take-home').catch(
      (e) => e,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--rubric: The rubric senior-python-take-home is not for resumes.');
  });

  it('refuses --take-home beside more than one resume, before starting anything', async () => {
    const failed = await screen(dir, '--take-home', path.join(dir, 'orders-service.zip')).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--take-home goes with exactly one resume');
  });
});
