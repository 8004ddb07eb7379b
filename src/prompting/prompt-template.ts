import { z } from 'zod';
import { sha256Hex } from '../core/hash';
import { isPromptId } from './prompt-files';
import { parsePromptYaml, readPromptSource } from './prompt-source';

/**
 * Prompt templates are files beside the rubrics (`prompts/templates/<id>.yaml`), with an id and a version. The
 * `system` part is the static prefix (instructions, rubric, output schema) and must not depend on the candidate, so
 * that provider-side prompt caching applies; the candidate's material goes last, in the `user` part, as data.
 */
export const PromptTemplateFile = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  description: z.string().min(1),
  system: z
    .string()
    .min(1)
    .refine((s) => !s.includes('{{material}}'), 'the system part must not hold material'),
  user: z.string().includes('{{material}}'),
});

export interface PromptTemplate extends z.infer<typeof PromptTemplateFile> {
  /** sha256 of the template file. */
  hash: string;
}

export class PromptTemplateError extends Error {
  override readonly name = 'PromptTemplateError';
}

/** Validates a template's data; `hash` is the sha256 of the bytes it was parsed from. */
export function validatePromptTemplate(raw: unknown, hash: string, origin: string): PromptTemplate {
  const parsed = PromptTemplateFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new PromptTemplateError(`${origin}: invalid prompt template: ${problems}`);
  }
  return { ...parsed.data, hash };
}

/** A template from YAML text (tests, tools): the same checks and hash as a loaded file. */
export function parsePromptTemplate(source: string, origin: string): PromptTemplate {
  return validatePromptTemplate(parsePromptYaml(source, origin), sha256Hex(source), origin);
}

const cache = new Map<string, Promise<PromptTemplate>>();

/** `dir` overrides the prompts folder when running from source; bundles embed theirs (and refuse a `dir`). */
export function loadPromptTemplate(id: string, dir?: string): Promise<PromptTemplate> {
  if (!isPromptId(id)) return Promise.reject(new PromptTemplateError(`invalid template id: ${id}`));
  const key = `${dir ?? ''}\0${id}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readPromptSource('templates', id, dir).then(({ data, hash, origin }) =>
      validatePromptTemplate(data, hash, origin),
    );
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** Replaces `{{name}}` placeholders; an unknown placeholder is an error, not a silent empty string. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-zA-Z]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new PromptTemplateError(`no value for placeholder {{${name}}}`);
    return value;
  });
}
