import { z } from 'zod';
import { isPromptId, PromptSourceError } from '../prompting/prompt-files';
import { readPromptSource } from '../prompting/prompt-source';

/**
 * Which version of a rubric this deployment drafts with: its id, `version` and the sha256 of its file (what a draft's
 * provenance pins). The review API compares a draft against it to say that the rubric changed since (`stale_rubric`).
 *
 * From source (`npm start`, tests) it reads the rubric file. In the Lambda bundles this module is replaced at build
 * time by the `vetline-current-rubrics` esbuild plugin (`infra/esbuild-plugins.mjs`) with one that holds only the
 * ids, versions and hashes of `prompts/rubrics/*.yaml`: the API learns the current version without carrying the
 * prompts (nor `yaml`), and without a table read or a value the worker must have written first. The worker and the
 * API are built from the same commit, so the two agree. Its export must stay `currentRubric`, with this signature.
 */
export interface CurrentRubric {
  id: string;
  version: string;
  hash: string;
}

const RubricHeader = z.object({ id: z.string(), version: z.string() });

/** `null` when this deployment has no rubric with that id (it was removed or renamed). */
export async function currentRubric(id: string): Promise<CurrentRubric | null> {
  if (!isPromptId(id)) return null;
  try {
    const { data, hash } = await readPromptSource('rubrics', id);
    const header = RubricHeader.parse(data);
    return { id: header.id, version: header.version, hash };
  } catch (error) {
    if (error instanceof PromptSourceError) return null;
    throw error;
  }
}
