import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { sha256Hex } from '../core/hash';
import { promptsDir } from '../rubric/rubric';

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

export function parsePromptTemplate(source: string, origin: string): PromptTemplate {
  const parsed = PromptTemplateFile.safeParse(parseYaml(source));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new PromptTemplateError(`${origin}: invalid prompt template: ${problems}`);
  }
  return { ...parsed.data, hash: sha256Hex(source) };
}

const cache = new Map<string, Promise<PromptTemplate>>();

export function loadPromptTemplate(id: string, dir: string = promptsDir()): Promise<PromptTemplate> {
  if (!/^[a-z0-9-]+$/.test(id)) return Promise.reject(new PromptTemplateError(`invalid template id: ${id}`));
  const file = path.join(dir, 'templates', `${id}.yaml`);
  let pending = cache.get(file);
  if (!pending) {
    pending = readFile(file, 'utf8').then((text) => parsePromptTemplate(text, file));
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
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
