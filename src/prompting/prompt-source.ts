import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { sha256Hex } from '../core/hash';
import { type PromptKind, type PromptSource, PromptSourceError, promptKey } from './prompt-files';

/**
 * Where rubrics and templates come from when Vetline runs from source (`npm start`, the CLI, tests, benches): the
 * files under `prompts/`, read and parsed from YAML on first use.
 *
 * The Lambda bundles never contain this module: the `vetline-embedded-prompts` esbuild plugin
 * (`infra/esbuild-plugins.mjs`) replaces it with one that embeds every `prompts/<kind>/*.yaml` pre-parsed, with the
 * sha256 of its bytes, so `yaml` stays out of the bundles and out of cold starts. Its exports must stay the three
 * below (`embedded-prompt-source.ts` provides the same), and YAML is parsed only here.
 */

/** `VETLINE_PROMPTS_DIR`, else the repository's `prompts/` (from source only; bundles embed theirs). */
export function promptsDir(): string {
  const fromEnv = process.env.VETLINE_PROMPTS_DIR;
  if (fromEnv) return fromEnv;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts');
}

/** Parses a prompt file's text; the plugin parses with the same package and options at build time. */
export function parsePromptYaml(text: string, origin: string): unknown {
  try {
    return parseYaml(text);
  } catch (cause) {
    throw new PromptSourceError(`${origin}: not valid YAML`, { cause });
  }
}

export async function readPromptSource(
  kind: PromptKind,
  id: string,
  dir: string = promptsDir(),
): Promise<PromptSource> {
  const file = path.join(dir, promptKey(kind, id));
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new PromptSourceError(`${file}: cannot read the prompt file`, { cause });
  }
  return { data: parsePromptYaml(bytes.toString('utf8'), file), hash: sha256Hex(bytes), origin: file };
}
