import { describe, expect, it } from 'vitest';
import type { Assessment } from '../assessment/assessment';
import { formatAssessment } from './format-assessment';

const assessment = {
  competencies: [
    {
      competencyId: 'async',
      name: 'Async and concurrency',
      level: 3,
      confidence: 0.7,
      rationale: 'r',
      spread: null,
      evidence: [
        {
          quote: 'async with sem:\n    return await f()',
          source: 'take-home',
          start: null,
          end: null,
          file: 'svc/io.py',
          lineStart: 9,
          lineEnd: 10,
        },
      ],
    },
  ],
  summary: 's',
  strengths: [],
  concerns: [],
  estimatedSeniority: null,
  recommendation: 'hold',
  interviewPlan: { technicalScreen: [], systemDesign: { prompt: 'p', focus: [] }, cultureFocus: [] },
  flags: [],
  provenance: {
    drafter: 'offline',
    rubricId: 'r',
    rubricVersion: '1',
    promptId: 'p',
    promptVersion: '1',
    promptHash: 'abcdef0123456789',
    usage: { totalTokens: 0 },
    durationMs: 1,
  },
} as unknown as Assessment;

describe('formatAssessment for a take-home', () => {
  it('names the place of each quote in the table and lists the quoted lines with their numbers', () => {
    const content = `${Array.from({ length: 8 }, (_, i) => `# line ${i + 1}`).join('\n')}\n    async with sem:\n        return await f()\n`;
    const out = formatAssessment('project.zip', assessment, new Map([['svc/io.py', content]]));
    expect(out).toMatch(/Async and concurrency\s+3 senior\s+0\.70\s+svc\/io\.py:9-10/);
    expect(out).toContain(
      [
        '  Evidence',
        '    Async and concurrency',
        '      svc/io.py:9-10',
        '         9 |     async with sem:',
        '        10 |         return await f()',
      ].join('\n'),
    );
  });

  it('prints the quote itself when the file is not at hand', () => {
    const out = formatAssessment('project.zip', assessment);
    expect(out).toContain(
      '      svc/io.py:9-10\n         | async with sem:\n         |     return await f()',
    );
  });
});
