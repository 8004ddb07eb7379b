import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { currentRubrics } from '../../infra/esbuild-plugins.mjs';
import { type CurrentRubric, currentRubric, listRubrics } from './current-rubric';
import { loadRubric } from './rubric';

const summary = async (id: string): Promise<CurrentRubric> => {
  const r = await loadRubric(id);
  return { id: r.id, version: r.version, hash: r.hash, title: r.title, kind: r.kind };
};

describe('the rubric catalogue, from source', () => {
  it('describes a rubric as the loader reads it: id, version, hash, title and kind', async () => {
    expect(await currentRubric('senior-python-data-engineer')).toEqual(
      await summary('senior-python-data-engineer'),
    );
    expect(await currentRubric('no-such-rubric')).toBeNull();
    expect(await currentRubric('../etc/passwd')).toBeNull();
  });

  it('lists the rubrics of one kind, or all, by id', async () => {
    const resume = await listRubrics('resume');
    expect(resume.map((r) => r.id)).toEqual(['senior-python-backend', 'senior-python-data-engineer']);
    expect(resume.map((r) => r.title)).toEqual([
      'Senior Python backend and data engineer',
      'Senior Python data engineer',
    ]);
    expect((await listRubrics('take-home')).map((r) => r.id)).toEqual(['senior-python-take-home']);
    expect((await listRubrics()).length).toBe(3);
  });
});

describe('the rubric catalogue, as the Lambda bundles build it (vetline-current-rubrics plugin)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('holds the same entries as the source module, and no rubric text', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'vetline-catalogue-'));
    dirs.push(out);
    const outfile = path.join(out, 'catalogue.mjs');
    await build({
      entryPoints: [path.join(import.meta.dirname, 'current-rubric.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      plugins: [currentRubrics()],
      logLevel: 'silent',
    });
    const bundled = (await import(pathToFileURL(outfile).href)) as typeof import('./current-rubric');
    expect(await bundled.listRubrics()).toEqual(await listRubrics());
    expect(await bundled.listRubrics('resume')).toEqual(await listRubrics('resume'));
    expect(await bundled.currentRubric('senior-python-data-engineer')).toEqual(
      await currentRubric('senior-python-data-engineer'),
    );
    expect(await bundled.currentRubric('no-such-rubric')).toBeNull();
    const code = await readFile(outfile, 'utf8');
    expect(code).not.toContain('Designed or owned a pipeline estate');
  });
});
