import type { Assessment, Evidence } from '../assessment/assessment';

const levelNames = ['none', 'exposure', 'working', 'senior', 'expert'];

const wrap = (text: string, width: number, indent: string): string => {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
};

/** Where a take-home quote is: `path:line` or `path:line-line`. */
export const placeOf = (e: Evidence): string =>
  `${e.file ?? 'take-home'}:${e.lineStart ?? '?'}${e.lineEnd !== null && e.lineEnd !== e.lineStart ? `-${e.lineEnd}` : ''}`;

/**
 * A take-home's evidence, competency by competency: each quote's place, then its lines as the file has them (from
 * `files`, path to content) with their numbers, or the quote itself when the file is not at hand.
 */
function takeHomeEvidence(a: Assessment, files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const c of a.competencies) {
    if (c.evidence.length === 0) continue;
    out.push(`    ${c.name}`);
    for (const e of c.evidence) {
      out.push(`      ${placeOf(e)}`);
      const content = e.file ? files.get(e.file) : undefined;
      const from = e.lineStart ?? 1;
      const lines =
        content === undefined || e.lineStart === null
          ? e.quote.split('\n').map((l) => ['', l] as const)
          : content
              .split('\n')
              .slice(from - 1, e.lineEnd ?? from)
              .map((l, i) => [String(from + i), l] as const);
      const width = Math.max(...lines.map(([n]) => n.length));
      for (const [n, text] of lines) out.push(`        ${n.padStart(width)} | ${text}`);
    }
  }
  return out;
}

/**
 * A plain-text rendering of an assessment for the terminal. A take-home's evidence is listed as `path:line-line`
 * with the quoted lines (`files`: the take-home's files by path, to print whole lines with their numbers).
 */
export function formatAssessment(
  title: string,
  a: Assessment,
  files: ReadonlyMap<string, string> = new Map(),
): string {
  const takeHome = a.competencies.some((c) => c.evidence.some((e) => e.source === 'take-home'));
  const out: string[] = [];
  const p = a.provenance;
  out.push(`${title}`);
  out.push(
    `  Recommendation: ${a.recommendation.toUpperCase()} (advisory)   Seniority: ${a.estimatedSeniority ?? 'unclear'}   ` +
      `Drafter: ${p.drafter === 'offline' ? 'offline rules' : p.model}`,
  );
  out.push(wrap(a.summary, 100, '  '));
  out.push('');
  out.push('  Competency                              Level          Conf.  Evidence');
  for (const c of a.competencies) {
    const level = c.level === null ? '– insufficient' : `${c.level} ${levelNames[c.level]}`;
    const first = c.evidence[0];
    const quote = first?.quote.replace(/\s+/g, ' ') ?? '';
    const shown =
      first?.source === 'take-home'
        ? placeOf(first)
        : quote.length > 60
          ? `"${quote.slice(0, 57)}..."`
          : quote
            ? `"${quote}"`
            : '';
    out.push(
      `  ${c.name.padEnd(38).slice(0, 38)}  ${level.padEnd(14)} ${c.confidence.toFixed(2)}   ${shown}`,
    );
  }
  if (takeHome) out.push('', '  Evidence', ...takeHomeEvidence(a, files));
  if (a.strengths.length)
    out.push(
      '',
      '  Strengths',
      ...a.strengths.map((s) => wrap(s, 96, '    - ').replace(/^ {4}- /gm, '    - ')),
    );
  if (a.concerns.length) out.push('', '  Concerns', ...a.concerns.map((s) => `    - ${s}`));
  const flags = a.flags.filter((f) => f.severity !== 'info' || f.code === 'offline_drafter');
  if (flags.length)
    out.push('', '  Flags', ...flags.map((f) => `    [${f.severity}] ${f.code}: ${f.message}`));
  const plan = a.interviewPlan;
  out.push('', '  Interview plan');
  for (const q of plan.technicalScreen) out.push(`    Technical screen (${q.competencyId}): ${q.question}`);
  out.push(`    System design: ${plan.systemDesign.prompt}`);
  if (plan.cultureFocus.length) out.push(`    Culture: ${plan.cultureFocus.join('; ')}`);
  out.push(
    '',
    `  Rubric ${p.rubricId}@${p.rubricVersion} · prompt ${p.promptId}@${p.promptVersion} ${p.promptHash.slice(0, 12)} · ` +
      `${p.usage.totalTokens} tokens · ${p.durationMs} ms`,
  );
  return out.join('\n');
}
