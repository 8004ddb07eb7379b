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

  it('refuses --take-home beside more than one resume, before starting anything', async () => {
    const failed = await screen(dir, '--take-home', path.join(dir, 'orders-service.zip')).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--take-home goes with exactly one resume');
  });
});
