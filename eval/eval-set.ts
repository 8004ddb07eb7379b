import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Level } from '../src/assessment/assessment';
import { HiddenSpan } from '../src/extraction/hidden-span';

/** The labelled set (cases.yaml and resumes/), parsed with the same schemas production uses. */
export const evalDir = path.dirname(fileURLToPath(import.meta.url));

export const EvalCase = z.object({
  file: z.string().regex(/^[\w.-]+\.txt$/),
  candidate: z.string().min(1),
  seniority: z.enum(['junior', 'mid', 'senior', 'staff', 'principal']),
  injection: z.enum(['none', 'visible', 'hidden']),
  hidden: z.array(HiddenSpan).default([]),
  expected: z.record(z.string(), Level.nullable()),
});
export type EvalCase = z.infer<typeof EvalCase> & { text: string };

export const EvalSet = z.object({ rubric: z.string(), cases: z.array(EvalCase).min(12) });

export function loadEvalSet(): { rubric: string; cases: EvalCase[] } {
  const parsed = EvalSet.parse(parseYaml(readFileSync(path.join(evalDir, 'cases.yaml'), 'utf8')));
  return {
    rubric: parsed.rubric,
    cases: parsed.cases.map((c) => ({
      ...c,
      text: readFileSync(path.join(evalDir, 'resumes', c.file), 'utf8'),
    })),
  };
}
