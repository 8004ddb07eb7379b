import type { AssessedCompetency, Flag, InterviewPlan } from '../assessment/assessment';
import type { Rubric } from '../rubric/rubric';
import { interviewPlan as rulesPlan } from './offline-plan';

/**
 * The interview plan after grounding. The drafter wrote its plan before its quotes were checked, so a competency it
 * thought strong may now be unverified. The technical screen must reach the weakest and unverified competencies:
 * questions about unknown competencies are dropped, the weakest ones without a question get one from the rubric
 * (offline-plan.ts), and an empty system-design prompt or culture focus is filled the same way.
 */
export const MAX_SCREEN_QUESTIONS = 6;
/** How many of the weakest competencies the technical screen must reach. */
export const WEAKEST_TO_COVER = 3;

export function completePlan(
  plan: InterviewPlan,
  competencies: readonly AssessedCompetency[],
  rubric: Rubric,
): { plan: InterviewPlan; flags: Flag[] } {
  const byId = new Map(rubric.competencies.map((c) => [c.id, c]));
  const outcomes = competencies.flatMap((c) => {
    const competency = byId.get(c.competencyId);
    return competency ? [{ competency, level: c.level, confidence: c.confidence }] : [];
  });
  const fallback = rulesPlan(outcomes);
  const added: string[] = [];

  const questions = plan.technicalScreen.filter((q) => byId.has(q.competencyId));
  const removed = plan.technicalScreen.length - questions.length;
  const covered = new Set(questions.map((q) => q.competencyId));
  const weakest = fallback.technicalScreen
    .filter((q) => {
      const c = competencies.find((x) => x.competencyId === q.competencyId);
      return c !== undefined && (c.level === null || c.level <= 2);
    })
    .slice(0, WEAKEST_TO_COVER);
  for (const q of weakest) {
    if (covered.has(q.competencyId)) continue;
    questions.unshift(q);
    covered.add(q.competencyId);
    added.push(byId.get(q.competencyId)?.name ?? q.competencyId);
  }
  const systemDesign = plan.systemDesign.prompt.trim() === '' ? fallback.systemDesign : plan.systemDesign;
  const cultureFocus = plan.cultureFocus.length === 0 ? fallback.cultureFocus : plan.cultureFocus;

  const flags: Flag[] = [];
  const notes: string[] = [];
  if (added.length > 0) notes.push(`questions for ${added.join(', ')} (weak or unverified after grounding)`);
  if (systemDesign !== plan.systemDesign) notes.push('a system-design prompt');
  if (cultureFocus !== plan.cultureFocus) notes.push('culture-interview focus areas');
  if (removed > 0) notes.push(`removed ${removed} question(s) about competencies the rubric does not have`);
  if (notes.length > 0) {
    flags.push({
      code: 'plan_completed',
      severity: 'info',
      message: `The interview plan was completed from the rubric: ${notes.join('; ')}.`,
      competencyId: null,
      span: null,
    });
  }
  return {
    plan: { technicalScreen: questions.slice(0, MAX_SCREEN_QUESTIONS), systemDesign, cultureFocus },
    flags,
  };
}
