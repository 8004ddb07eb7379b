import { describe, expect, it } from 'vitest';
import type { AssessedCompetency, InterviewPlan } from '../assessment/assessment';
import { loadRubric } from '../rubric/rubric';
import { completePlan } from './plan-completion';

const rubric = await loadRubric('senior-python-backend');
const competencies: AssessedCompetency[] = rubric.competencies.map((c, i) => ({
  competencyId: c.id,
  name: c.name,
  level: i < 3 ? null : 3,
  confidence: 0.6,
  rationale: 'r',
  evidence: [],
  spread: null,
}));

describe('completePlan', () => {
  it('adds questions for unverified competencies the plan skipped, and fills empty stages', () => {
    const plan: InterviewPlan = {
      technicalScreen: [{ competencyId: 'not-in-rubric', question: 'q', lookFor: 'l' }],
      systemDesign: { prompt: '', focus: [] },
      cultureFocus: [],
    };
    const out = completePlan(plan, competencies, rubric);
    const asked = out.plan.technicalScreen.map((q) => q.competencyId);
    for (const c of competencies.slice(0, 3)) expect(asked).toContain(c.competencyId);
    expect(asked).not.toContain('not-in-rubric');
    expect(out.plan.systemDesign.prompt.length).toBeGreaterThan(20);
    expect(out.plan.cultureFocus.length).toBeGreaterThan(0);
    expect(out.flags).toEqual([expect.objectContaining({ code: 'plan_completed', severity: 'info' })]);
  });

  it('leaves a plan that already covers the weakest competencies as it is', () => {
    const plan: InterviewPlan = {
      technicalScreen: competencies
        .slice(0, 3)
        .map((c) => ({ competencyId: c.competencyId, question: 'q', lookFor: 'l' })),
      systemDesign: { prompt: 'Design a pipeline.', focus: ['retries'] },
      cultureFocus: ['ownership'],
    };
    expect(completePlan(plan, competencies, rubric)).toEqual({ plan, flags: [] });
  });
});
