/**
 * The keys of an answer that the schema dropped: `json` is what the model sent, `parsed` what zod kept. Paths are
 * written `interviewPlan.systemDesign.extra`, array indexes as `[]`, each path once.
 */
export function extraKeys(json: unknown, parsed: unknown, path = ''): string[] {
  const out = new Set<string>();
  walk(json, parsed, path, out);
  return [...out];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(json: unknown, parsed: unknown, path: string, out: Set<string>): void {
  if (Array.isArray(json) && Array.isArray(parsed)) {
    for (const [i, item] of json.entries()) walk(item, parsed[i], `${path}[]`, out);
    return;
  }
  if (!isRecord(json) || !isRecord(parsed)) return;
  for (const [key, value] of Object.entries(json)) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in parsed)) out.add(at);
    else walk(value, parsed[key], at, out);
  }
}
