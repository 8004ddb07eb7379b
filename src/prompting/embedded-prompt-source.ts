import { PromptSourceError, promptKey } from './prompt-files';
import type * as FilePromptSource from './prompt-source';

/**
 * The prompt source of the Lambda bundles. The `vetline-embedded-prompts` esbuild plugin (`infra/esbuild-plugins.mjs`)
 * loads `prompt-source.ts` as a module that calls this with every `prompts/<kind>/<id>.yaml` it found at build time,
 * already parsed, and the sha256 of each file's bytes; the loaders then validate the data with zod exactly as they
 * do locally. Nothing is read from disk and no YAML is parsed at cold start. Typed as the module it replaces, so the
 * two cannot drift apart.
 */
export interface EmbeddedPromptFile {
  data: unknown;
  hash: string;
}

/** Keyed by the path under `prompts/`, e.g. `rubrics/senior-python-backend.yaml`. */
export type EmbeddedPrompts = Record<string, EmbeddedPromptFile>;

export function embeddedPromptSource(files: EmbeddedPrompts): typeof FilePromptSource {
  const notHere = (what: string) =>
    new PromptSourceError(
      `${what}: this bundle embeds prompts/ at build time (pre-parsed) and reads no files`,
    );
  return {
    promptsDir() {
      throw notHere('No prompts folder');
    },
    parsePromptYaml(_text, origin) {
      throw notHere(`${origin}: YAML is not parsed in a bundle`);
    },
    async readPromptSource(kind, id, dir) {
      if (dir !== undefined) throw notHere(`Cannot read prompts from ${dir}`);
      const key = promptKey(kind, id);
      const file = Object.hasOwn(files, key) ? files[key] : undefined;
      if (!file) {
        const embedded = Object.keys(files).join(', ') || 'none';
        throw new PromptSourceError(`prompts/${key}: not embedded in this bundle (embedded: ${embedded})`);
      }
      return { data: file.data, hash: file.hash, origin: `prompts/${key} (embedded)` };
    },
  };
}
