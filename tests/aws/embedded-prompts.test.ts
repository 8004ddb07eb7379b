import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedPrompts, lambdaCredentials, zodEnglishOnly } from '../../infra/esbuild-plugins.mjs';
import { bundleEntry } from '../../scripts/bundle-functions';
import { sha256Hex } from '../../src/core/hash';
import { loadPromptTemplate } from '../../src/prompting/prompt-template';
import { loadRubric, promptsDir } from '../../src/rubric/rubric';
import type { handler, ProbeEvent } from '../support/aws/prompt-probe';
import { invokeBundle } from '../support/aws/run-bundle';
import { repoRoot } from '../support/resumes';

// Prompt files reach the Lambda bundles pre-parsed, embedded at build time by the `vetline-embedded-prompts` esbuild
// plugin. A probe entry (tests/support/aws/prompt-probe.ts) is bundled exactly as the functions are and run in a
// fresh Node process with nothing beside it; what its loaders give is compared with the same loaders run from source.

type ProbeResult = Awaited<ReturnType<typeof handler>>;

const probeEntry = path.join(repoRoot, 'tests/support/aws/prompt-probe.ts');
let out: string;
let builds = 0;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'vetline-embedded-prompts-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

async function buildProbe(fixture?: string) {
  const file = path.join(out, `probe-${++builds}`, 'probe.mjs');
  const plugins = fixture
    ? [zodEnglishOnly, lambdaCredentials, embeddedPrompts({ promptsDir: fixture })]
    : undefined;
  const bundle = await bundleEntry(probeEntry, file, plugins ? { plugins } : {});
  return { file, ...bundle };
}

async function runProbe(file: string, event: ProbeEvent): Promise<ProbeResult> {
  const { results } = await invokeBundle(file, [event], {});
  return results[0] as ProbeResult;
}

/** The ids of every `<kind>/*.yaml` in a prompts folder, found by listing it (no file is named here). */
const idsIn = async (dir: string, kind: string) =>
  (await readdir(path.join(dir, kind)))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
    .sort();

const inputs = (metafile: Awaited<ReturnType<typeof bundleEntry>>['metafile']) =>
  Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );

describe('prompt files in the Lambda bundles', () => {
  it('are all there, with the ids, versions, hashes and data the loaders give from source', async () => {
    const rubrics = await idsIn(promptsDir(), 'rubrics');
    const templates = await idsIn(promptsDir(), 'templates');
    expect(rubrics.length).toBeGreaterThan(0);
    expect(templates.length).toBeGreaterThan(0);

    const probe = await buildProbe();
    // Nothing beside the bundle: no prompts/ folder to read, and no YAML parser in it.
    expect(await readdir(path.dirname(probe.file))).toEqual(['probe.mjs']);
    expect(inputs(probe.metafile).some((i) => i.includes('node_modules/yaml/'))).toBe(false);
    expect(inputs(probe.metafile)).toContain('src/prompting/embedded-prompt-source.ts');

    const bundled = await runProbe(probe.file, { rubrics, templates });
    for (const id of rubrics) {
      const local = await loadRubric(id);
      const bytes = await readFile(path.join(promptsDir(), 'rubrics', `${id}.yaml`));
      expect(local.hash, id).toBe(sha256Hex(bytes));
      expect(bundled.rubrics[id], id).toEqual({ value: local });
    }
    for (const id of templates) {
      const local = await loadPromptTemplate(id);
      const bytes = await readFile(path.join(promptsDir(), 'templates', `${id}.yaml`));
      expect(local.hash, id).toBe(sha256Hex(bytes));
      expect(bundled.templates[id], id).toEqual({ value: local });
    }
  }, 60_000);

  describe('built from another prompts folder', () => {
    let fixture: string;
    let probe: Awaited<ReturnType<typeof buildProbe>>;
    const source = (kind: string, id: string) =>
      readFile(path.join(promptsDir(), kind, `${id}.yaml`), 'utf8');

    beforeAll(async () => {
      fixture = path.join(out, 'fixture-prompts');
      await mkdir(path.join(fixture, 'rubrics'), { recursive: true });
      await mkdir(path.join(fixture, 'templates'), { recursive: true });
      const [rubric] = await idsIn(promptsDir(), 'rubrics');
      const [template] = await idsIn(promptsDir(), 'templates');
      const rubricText = await source('rubrics', rubric ?? '');
      const templateText = await source('templates', template ?? '');
      // A rubric edited without bumping its version: only the hash tells the two apart.
      const edited = rubricText.replace(/^id: .*$/m, 'id: fresh-rubric');
      await writeFile(path.join(fixture, 'rubrics', 'fresh-rubric.yaml'), edited);
      await writeFile(path.join(fixture, 'rubrics', 'misnamed.yaml'), edited);
      await writeFile(
        path.join(fixture, 'rubrics', 'no-competencies.yaml'),
        'id: no-competencies\nversion: 1.0.0\n',
      );
      await writeFile(path.join(fixture, 'rubrics', 'README.md'), '# not a prompt file\n');
      await writeFile(path.join(fixture, 'templates', 'fresh-template.yaml'), templateText);
      probe = await buildProbe(fixture);
    }, 60_000);

    it('embeds every YAML file it finds, hashed from its own bytes', async () => {
      const result = await runProbe(probe.file, { rubrics: ['fresh-rubric'], templates: ['fresh-template'] });
      const rubricBytes = await readFile(path.join(fixture, 'rubrics', 'fresh-rubric.yaml'));
      const templateBytes = await readFile(path.join(fixture, 'templates', 'fresh-template.yaml'));
      expect(result.rubrics['fresh-rubric']).toEqual({
        value: await loadRubric('fresh-rubric', fixture),
      });
      expect(result.rubrics['fresh-rubric']).toMatchObject({
        value: { id: 'fresh-rubric', hash: sha256Hex(rubricBytes) },
      });
      expect(result.templates['fresh-template']).toMatchObject({ value: { hash: sha256Hex(templateBytes) } });
    }, 60_000);

    it('still validates the embedded data at load, with the same errors as from a file', async () => {
      const result = await runProbe(probe.file, {
        rubrics: ['no-competencies', 'misnamed', 'absent'],
        templates: [],
      });
      expect(result.rubrics['no-competencies']).toMatchObject({
        name: 'RubricError',
        error: expect.stringMatching(
          /^prompts\/rubrics\/no-competencies\.yaml \(embedded\): invalid rubric: .*competencies/,
        ),
      });
      expect(result.rubrics.misnamed).toMatchObject({
        name: 'RubricError',
        error: expect.stringContaining('id fresh-rubric does not match the file name'),
      });
      // Every YAML file and nothing else (the README is not a prompt file).
      const embedded = [
        'rubrics/fresh-rubric.yaml',
        'rubrics/misnamed.yaml',
        'rubrics/no-competencies.yaml',
        'templates/fresh-template.yaml',
      ];
      expect(result.rubrics.absent).toEqual({
        name: 'PromptSourceError',
        error: `prompts/rubrics/absent.yaml: not embedded in this bundle (embedded: ${embedded.join(', ')})`,
      });
    }, 60_000);

    it('refuses a prompts folder at run time rather than ignore it', async () => {
      const result = await runProbe(probe.file, { rubrics: ['fresh-rubric'], templates: [], dir: fixture });
      expect(result.rubrics['fresh-rubric']).toMatchObject({
        name: 'PromptSourceError',
        error: expect.stringContaining(`Cannot read prompts from ${fixture}`),
      });
    }, 60_000);
  });

  it('fail the build, naming the file, when a prompt file cannot be embedded as parsed', async () => {
    const broken = path.join(out, 'broken-prompts');
    await mkdir(path.join(broken, 'rubrics'), { recursive: true });
    await writeFile(path.join(broken, 'rubrics', 'unclosed.yaml'), 'id: [unclosed\n');
    await expect(buildProbe(broken)).rejects.toThrow(/rubrics\/unclosed\.yaml: not valid YAML/);

    const unjsonable = path.join(out, 'infinite-prompts');
    await mkdir(path.join(unjsonable, 'templates'), { recursive: true });
    await writeFile(path.join(unjsonable, 'templates', 'endless.yaml'), 'id: endless\nlimit: .inf\n');
    await expect(buildProbe(unjsonable)).rejects.toThrow(
      /templates\/endless\.yaml: holds a value JSON cannot carry/,
    );
  }, 60_000);
});
