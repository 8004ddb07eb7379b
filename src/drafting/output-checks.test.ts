import { describe, expect, it } from 'vitest';
import type { ModelDraft } from '../assessment/assessment';
import { templateInstructions } from '../prompting/build-messages';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { checkOutput, MAX_FIELD_CHARS } from './output-checks';

const template = await loadPromptTemplate('resume-screen');
const instructions = templateInstructions(template);
const material = `Built ${'an asyncio ingestion service with backpressure and retries, '.repeat(12)}`;

const draft = (patch: Partial<ModelDraft> = {}): ModelDraft => ({
  competencies: [
    {
      competencyId: 'async-concurrency',
      level: 3,
      confidence: 0.7,
      rationale: 'Owns asyncio work.',
      evidence: [],
    },
  ],
  summary: 'A solid backend engineer.',
  strengths: ['asyncio'],
  concerns: [],
  estimatedSeniority: 'senior',
  recommendation: 'hold',
  interviewPlan: {
    technicalScreen: [],
    systemDesign: { prompt: 'Design ingestion.', focus: [] },
    cultureFocus: ['ownership'],
  },
  ...patch,
});

describe('checkOutput', () => {
  it('leaves an ordinary draft alone', () => {
    const d = draft();
    expect(checkOutput(d, { instructions, material })).toEqual({ draft: d, flags: [] });
  });

  it('removes a summary that recites the instructions and flags it as critical', () => {
    const leak = instructions.slice(
      instructions.indexOf('Judge only'),
      instructions.indexOf('Judge only') + 300,
    );
    const { draft: out, flags } = checkOutput(draft({ summary: `Sure. ${leak}` }), {
      instructions,
      material,
    });
    expect(out.summary).not.toContain('Judge only');
    expect(flags).toEqual([expect.objectContaining({ code: 'echoed_prompt', severity: 'critical' })]);
  });

  it('cuts a rationale that pastes the resume back, and an oversized summary', () => {
    const d = draft({ summary: 'x'.repeat(5000) });
    d.competencies[0] = { ...(d.competencies[0] as ModelDraft['competencies'][number]), rationale: material };
    const { draft: out, flags } = checkOutput(d, { instructions, material });
    expect(out.summary.length).toBeLessThanOrEqual(MAX_FIELD_CHARS.summary);
    expect(out.competencies[0]?.rationale.length).toBeLessThan(300);
    expect(flags.map((f) => f.code).sort()).toEqual(['echoed_material', 'oversized_output']);
  });

  it('keeps a rationale that cites a rubric anchor word for word', () => {
    const anchor =
      'Designed or owned asyncio services handling high concurrency (thousands of concurrent connections or requests per second)';
    const d = draft();
    d.competencies[0] = {
      ...(d.competencies[0] as ModelDraft['competencies'][number]),
      rationale: `Meets: ${anchor}.`,
    };
    expect(checkOutput(d, { instructions, material }).flags).toEqual([]);
  });
});
