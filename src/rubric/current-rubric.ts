import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isPromptId, PromptSourceError } from '../prompting/prompt-files';
import { promptsDir, readPromptSource } from '../prompting/prompt-source';

/**
 * Which version of a rubric this deployment drafts with: its id, `version` and the sha256 of its file (what a draft's
 * provenance pins). The review API compares a draft against it to say that the rubric changed since (`stale_rubric`).
 *
 * From source (`npm start`, tests) it reads the rubric file. In the Lambda bundles this module is replaced at build
 * time by the `vetline-current-rubrics` esbuild plugin (`infra/esbuild-plugins.mjs`) with one that holds only the
 * ids, versions and hashes of `prompts/rubrics/*.yaml`: the API learns the current version without carrying the
 * prompts (nor `yaml`), and without a table read or a value the worker must have written first. The worker and the
 * API are built from the same commit, so the two agree. Its exports must stay `currentRubric` and `listRubrics`, with
 * these signatures.
 *
 * It is also the deployment's catalogue of rubrics (`listRubrics`): what an admin may choose for the organisation
 * and a recruiter for one upload, with the title people read.
 */
export type RubricKind = 'resume' | 'take-home';

export interface CurrentRubric {
  id: string;
  version: string;
  hash: string;
  title: string;
  kind: RubricKind;
}

const RubricHeader = z.object({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  kind: z.enum(['resume', 'take-home']),
});

// Read once per process, as the worker's `loadRubric` reads the rubric it drafts with: the queue, review and upload
// pages ask on every request, and a rubric edited under a running `npm start` takes effect for both at the restart.
// Only the folder's files are ever cached: an id a request makes up is answered from the listing, and kept nowhere.
const entries = new Map<string, Promise<CurrentRubric | null>>();
const listings = new Map<string, Promise<string[]>>();

/** `null` when this deployment has no rubric with that id (it was removed or renamed). */
export async function currentRubric(id: string): Promise<CurrentRubric | null> {
  if (!isPromptId(id)) return null;
  const dir = promptsDir();
  if (!(await rubricIds(dir)).includes(id)) return null;
  const key = `${dir}\0${id}`;
  let entry = entries.get(key);
  if (!entry) {
    entry = readCurrentRubric(id);
    entry.catch(() => entries.delete(key));
    entries.set(key, entry);
  }
  return entry;
}

/** The ids of the rubric files in `prompts/rubrics/`, sorted. */
function rubricIds(dir: string): Promise<string[]> {
  let listing = listings.get(dir);
  if (!listing) {
    listing = readdir(path.join(dir, 'rubrics')).then((names) =>
      names.flatMap((name) => (name.endsWith('.yaml') ? [name.slice(0, -'.yaml'.length)] : [])).sort(),
    );
    listing.catch(() => listings.delete(dir));
    listings.set(dir, listing);
  }
  return listing;
}

async function readCurrentRubric(id: string): Promise<CurrentRubric | null> {
  try {
    const { data, hash } = await readPromptSource('rubrics', id);
    const header = RubricHeader.parse(data);
    return { id: header.id, version: header.version, hash, title: header.title, kind: header.kind };
  } catch (error) {
    if (error instanceof PromptSourceError) return null;
    throw error;
  }
}

/** Every rubric this deployment has, of one kind or all, by id. */
export async function listRubrics(kind?: RubricKind): Promise<CurrentRubric[]> {
  const ids = await rubricIds(promptsDir());
  const found = await Promise.all(ids.map((id) => currentRubric(id)));
  return found.filter((r): r is CurrentRubric => r !== null && (kind === undefined || r.kind === kind));
}
