import type { Assessment } from '../assessment/assessment';

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

/** A plain-text rendering of an assessment for the terminal. */
export function formatAssessment(title: string, a: Assessment): string {
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
    const quote = c.evidence[0]?.quote.replace(/\s+/g, ' ') ?? '';
    out.push(
      `  ${c.name.padEnd(38).slice(0, 38)}  ${level.padEnd(14)} ${c.confidence.toFixed(2)}   ${
        quote.length > 60 ? `"${quote.slice(0, 57)}..."` : quote ? `"${quote}"` : ''
      }`,
    );
  }
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
