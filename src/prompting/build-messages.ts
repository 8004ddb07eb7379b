import { z } from 'zod';
import { ModelDraft } from '../assessment/assessment';
import { sha256Hex } from '../core/hash';
import type { Competency, Rubric } from '../rubric/rubric';
import { fill, type PromptTemplate } from './prompt-template';

/**
 * Turns a template, a rubric and the candidate's material into the two messages sent to the model.
 *
 * The system message is the static prefix: instructions, rubric and output schema, and nothing about the
 * candidate, so that every screening against the same rubric and template sends byte-identical leading tokens and
 * provider-side prompt caching applies. The material goes last, in the user message, inside the delimiters the
 * template puts around `{{material}}`.
 */
export interface BuiltMessages {
  system: string;
  user: string;
  /** sha256 of the static prefix exactly as sent, plus the template's id@version. */
  promptHash: string;
  staticPrefixChars: number;
}

/** The line that lists the competency ids; tests/support/fake-openai-server.ts reads it too. */
export const COMPETENCY_IDS_LABEL = 'Competency ids to cover, in this order';

/** Signals are examples of evidence, not a checklist: a few per competency keep the prefix readable. */
const MAX_SIGNALS_SHOWN = 4;

const DEFAULT_DELIMITER = 'candidate_material';

export function buildMessages(template: PromptTemplate, rubric: Rubric, material: string): BuiltMessages {
  const system = fill(template.system, { rubric: renderRubric(rubric), schema: renderSchema(rubric) });
  const delimiter = materialDelimiter(template.user);
  const user = fill(template.user, { material: neutraliseDelimiter(material, delimiter) });
  return {
    system,
    user,
    promptHash: sha256Hex(`${system}\n${template.id}@${template.version}`),
    staticPrefixChars: system.length,
  };
}

/** The hash of the static prefix alone: what every screening with this template and rubric sends first. */
export const staticPromptHash = (template: PromptTemplate, rubric: Rubric): string =>
  buildMessages(template, rubric, '').promptHash;

/**
 * The template's own instructions without the rubric and the schema: what a draft must never recite back (a
 * rationale may cite a rubric anchor word for word; see drafting/output-checks.ts).
 */
export const templateInstructions = (template: PromptTemplate): string =>
  template.system.replace(/\{\{\w+\}\}/g, '\n');

export function renderRubric(rubric: Rubric): string {
  const lines = [
    `Rubric ${rubric.id} ${rubric.version}: ${rubric.title} (${rubric.kind})`,
    rubric.description.trim(),
    '',
    `${COMPETENCY_IDS_LABEL}: ${rubric.competencies.map((c) => c.id).join(', ')}`,
  ];
  for (const competency of rubric.competencies) lines.push('', ...renderCompetency(competency));
  return lines.join('\n');
}

function renderCompetency(c: Competency): string[] {
  const lines = [`## ${c.id}: ${c.name}`, c.description.trim(), 'Levels:'];
  for (const level of c.levels) lines.push(`- ${level.level} ${level.label}: ${oneLine(level.anchor)}`);
  lines.push('Examples of evidence:');
  for (const signal of c.signals.slice(0, MAX_SIGNALS_SHOWN)) {
    lines.push(`- ${oneLine(signal.description)} (suggests at least ${signal.suggests})`);
  }
  if (c.redFlags.length > 0) {
    lines.push('Red flags:');
    for (const flag of c.redFlags) lines.push(`- ${oneLine(flag.description)}`);
  }
  return lines;
}

/**
 * The output schema as the model reads it: a TypeScript-like outline derived from `ModelDraft`'s JSON schema, so
 * it cannot drift from what the API enforces (the exact JSON schema also goes out as `response_format`).
 */
export function renderSchema(rubric: Rubric): string {
  const outline = renderNode(z.toJSONSchema(ModelDraft) as JsonSchema, 0);
  const ids = rubric.competencies.map((c) => c.id).join(', ');
  return `${outline}\n\nOne entry in \`competencies\` per rubric competency, in this order: ${ids}.`;
}

interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

function renderNode(node: JsonSchema, depth: number): string {
  if (node.anyOf) return node.anyOf.map((n) => renderNode(n, depth)).join(' | ');
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (node.type === 'array') return `Array<${renderNode(node.items ?? {}, depth)}>`;
  if (node.type === 'object') {
    const pad = '  '.repeat(depth + 1);
    const required = new Set(node.required ?? []);
    const fields = Object.entries(node.properties ?? {}).map(([name, child]) => {
      const optional = required.has(name) ? '' : '?';
      const note = describe(child);
      return `${pad}${name}${optional}: ${renderNode(child, depth + 1)}${note ? ` // ${note}` : ''}`;
    });
    return `{\n${fields.join('\n')}\n${'  '.repeat(depth)}}`;
  }
  if (node.type === 'integer' || node.type === 'number') {
    const range =
      node.minimum !== undefined && node.maximum !== undefined ? ` ${node.minimum}..${node.maximum}` : '';
    return `${node.type}${range}`;
  }
  return node.type ?? 'unknown';
}

/** A field's description, or the description of its non-null branch (`level` keeps both). */
function describe(node: JsonSchema): string {
  const own = node.description;
  const inner = node.anyOf?.find((n) => n.type !== 'null')?.description;
  return [inner, own].filter((d): d is string => Boolean(d)).join('; ');
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The tag name around `{{material}}` in the user template, e.g. `candidate_material`. */
function materialDelimiter(userTemplate: string): string {
  const match = /<([A-Za-z_][\w-]*)>\s*\{\{material\}\}\s*<\/\1>/.exec(userTemplate);
  return match?.[1] ?? DEFAULT_DELIMITER;
}

/**
 * Escapes the `<` of every opening or closing delimiter tag inside the material (any case, stray spaces, with or
 * without a `>`), so the material can neither close the data block early nor open a fake nested one.
 */
export function neutraliseDelimiter(material: string, delimiter: string = DEFAULT_DELIMITER): string {
  const name = delimiter.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return material.replace(new RegExp(`<(?=\\s*\\/?\\s*${name}\\b)`, 'gi'), '&lt;');
}
