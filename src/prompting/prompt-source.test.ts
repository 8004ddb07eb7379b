import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../core/hash';
import { embeddedPromptSource } from './embedded-prompt-source';
import { PromptSourceError } from './prompt-files';
import { readPromptSource } from './prompt-source';

// The two prompt sources: files (from source) and the data the Lambda bundles embed (tests/aws/embedded-prompts
// checks the bundles themselves).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vetline-prompt-source-'));
  await mkdir(path.join(dir, 'templates'));
  // A BOM and non-ASCII text: the hash is of the bytes as stored.
  await writeFile(path.join(dir, 'templates', 'greeting.yaml'), '\uFEFFid: greeting\ntext: "Grüß Gott"\n');
  await writeFile(path.join(dir, 'templates', 'broken.yaml'), 'text: [unclosed\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prompt files read from a folder', () => {
  it('parse the YAML and hash the file’s bytes', async () => {
    const file = path.join(dir, 'templates', 'greeting.yaml');
    const source = await readPromptSource('templates', 'greeting', dir);
    expect(source).toEqual({
      data: { id: 'greeting', text: 'Grüß Gott' },
      hash: sha256Hex(Buffer.from('\uFEFFid: greeting\ntext: "Grüß Gott"\n', 'utf8')),
      origin: file,
    });
  });

  it('name the file when it is missing or not YAML', async () => {
    await expect(readPromptSource('rubrics', 'greeting', dir)).rejects.toThrow(PromptSourceError);
    await expect(readPromptSource('rubrics', 'greeting', dir)).rejects.toThrow(
      `${path.join(dir, 'rubrics', 'greeting.yaml')}: cannot read the prompt file`,
    );
    await expect(readPromptSource('templates', 'broken', dir)).rejects.toThrow(
      `${path.join(dir, 'templates', 'broken.yaml')}: not valid YAML`,
    );
  });
});

describe('prompt files embedded in a bundle', () => {
  const embedded = embeddedPromptSource({
    'templates/greeting.yaml': { data: { id: 'greeting' }, hash: 'a'.repeat(64) },
  });

  it('give the embedded data and the hash recorded at build time', async () => {
    await expect(embedded.readPromptSource('templates', 'greeting')).resolves.toEqual({
      data: { id: 'greeting' },
      hash: 'a'.repeat(64),
      origin: 'prompts/templates/greeting.yaml (embedded)',
    });
  });

  it('say what is embedded when a file is not, and read no folder and parse no YAML', async () => {
    await expect(embedded.readPromptSource('rubrics', 'greeting')).rejects.toThrow(
      'prompts/rubrics/greeting.yaml: not embedded in this bundle (embedded: templates/greeting.yaml)',
    );
    await expect(embedded.readPromptSource('templates', 'greeting', dir)).rejects.toThrow(PromptSourceError);
    expect(() => embedded.promptsDir()).toThrow(/embeds prompts\/ at build time/);
    expect(() => embedded.parsePromptYaml('id: x', 'x.yaml')).toThrow(
      /x\.yaml: YAML is not parsed in a bundle/,
    );
  });
});
