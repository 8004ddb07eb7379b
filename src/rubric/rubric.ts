import { z } from 'zod';
import { sha256Hex } from '../core/hash';
import { isPromptId } from '../prompting/prompt-files';
import { parsePromptYaml, readPromptSource } from '../prompting/prompt-source';

export { promptsDir } from '../prompting/prompt-source';

/**
 * A rubric is a versioned YAML file under `prompts/rubrics/`, validated here at load (from the file locally, from the
 * data the Lambda bundles embed at build time: see `src/prompting/prompt-source.ts`). Its levels are behaviourally
 * anchored (0 none .. 4 expert); its signals are what the offline drafter matches and what the prompt shows the model
 * as examples of evidence.
 */

const SemVer = z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version such as 1.0.0');

const isValidRegex = (source: string): boolean => {
  try {
    new RegExp(source, 'iu');
    return true;
  } catch {
    return false;
  }
};

export const RubricSignal = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** A case-insensitive regular expression (Unicode mode) matched against the candidate's text. */
  pattern: z.string().min(1).refine(isValidRegex, 'must be a valid regular expression'),
  /** The lowest level this signal on its own is evidence for. */
  suggests: z.number().int().min(1).max(4),
  description: z.string().min(1),
});
export type RubricSignal = z.infer<typeof RubricSignal>;

export const RubricRedFlag = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  pattern: z
    .string()
    .min(1)
    .refine(isValidRegex, 'must be a valid regular expression')
    .nullable()
    .default(null),
});
export type RubricRedFlag = z.infer<typeof RubricRedFlag>;

export const RubricLevel = z.object({
  level: z.number().int().min(0).max(4),
  label: z.enum(['none', 'exposure', 'working', 'senior', 'expert']),
  anchor: z.string().min(10),
});

export const Competency = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  description: z.string().min(1),
  levels: z
    .array(RubricLevel)
    .length(5)
    .refine((levels) => levels.every((l, i) => l.level === i), 'levels must be 0, 1, 2, 3, 4 in order'),
  signals: z.array(RubricSignal).min(1),
  redFlags: z.array(RubricRedFlag).default([]),
});
export type Competency = z.infer<typeof Competency>;

export const RubricFile = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    version: SemVer,
    title: z.string().min(1),
    kind: z.enum(['resume', 'take-home']),
    description: z.string().min(1),
    competencies: z.array(Competency).min(1),
  })
  .refine((r) => new Set(r.competencies.map((c) => c.id)).size === r.competencies.length, {
    message: 'competency ids must be unique',
    path: ['competencies'],
  });
export type RubricFile = z.infer<typeof RubricFile>;

export interface Rubric extends RubricFile {
  /** sha256 of the file's bytes: two files with the same version but different content are told apart. */
  hash: string;
}

export class RubricError extends Error {
  override readonly name = 'RubricError';
}

/** Validates a rubric's data; `hash` is the sha256 of the bytes it was parsed from. */
export function validateRubric(raw: unknown, hash: string, origin: string): Rubric {
  const parsed = RubricFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new RubricError(`${origin}: invalid rubric: ${problems}`);
  }
  return { ...parsed.data, hash };
}

/** A rubric from YAML text (tests, tools): the same checks and hash as a loaded file. */
export function parseRubric(source: string, origin: string): Rubric {
  return validateRubric(parsePromptYaml(source, origin), sha256Hex(source), origin);
}

const cache = new Map<string, Promise<Rubric>>();

/** `dir` overrides the prompts folder when running from source; bundles embed theirs (and refuse a `dir`). */
export function loadRubric(id: string, dir?: string): Promise<Rubric> {
  if (!isPromptId(id)) return Promise.reject(new RubricError(`invalid rubric id: ${id}`));
  const key = `${dir ?? ''}\0${id}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readPromptSource('rubrics', id, dir).then(({ data, hash, origin }) => {
      const rubric = validateRubric(data, hash, origin);
      if (rubric.id !== id) throw new RubricError(`${origin}: id ${rubric.id} does not match the file name`);
      return rubric;
    });
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}
