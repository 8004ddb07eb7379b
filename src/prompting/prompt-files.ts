/**
 * What the two prompt sources share: the local one (`prompt-source.ts`, which reads `prompts/` and parses YAML) and
 * the one the Lambda bundles get instead (`embedded-prompt-source.ts`, fed by the esbuild plugin in
 * `infra/esbuild-plugins.mjs`). Nothing here may import `yaml` or the file system: it ships in every bundle.
 */

/** A prompt file (`prompts/<kind>/<id>.yaml`) as read: YAML parsed, not yet validated. */
export interface PromptSource {
  /** The file's content as plain data; the loaders validate it with zod. */
  data: unknown;
  /** sha256 of the file's bytes, the same locally and in a bundle: what provenance pins. */
  hash: string;
  /** Where it came from, for error messages. */
  origin: string;
}

/** The folders under `prompts/` the loaders read. */
export type PromptKind = 'rubrics' | 'templates';

export type ReadPromptSource = (kind: PromptKind, id: string, dir?: string) => Promise<PromptSource>;

/** A prompt file that cannot be read, parsed or found. */
export class PromptSourceError extends Error {
  override readonly name = 'PromptSourceError';
}

/** Ids are file names; this keeps them inside their folder. */
export const isPromptId = (id: string): boolean => /^[a-z0-9-]+$/.test(id);

/** The key of a file under `prompts/`, as the bundles embed it: `rubrics/senior-python-backend.yaml`. */
export const promptKey = (kind: PromptKind, id: string): string => `${kind}/${id}.yaml`;
