import type { Flag, ModelDraft } from '../assessment/assessment';
import { normalizeForMatch } from '../assessment/normalize';

/**
 * Checks on the prose of a draft (summary, rationales, strengths, concerns, the interview plan), which grounding
 * does not cover: an answer that recites the instructions it was given (a prompt leak, often a sign the model
 * followed an injection), one that pastes the resume back, and one whose fields are far longer than any reviewer
 * reads. Offending text is cut or replaced, and each case is flagged.
 */
export interface OutputContext {
  /**
   * The instructions of the system message: the template's own text, without the rubric (a rationale may well
   * cite a level's anchor word for word) and without the schema.
   */
  instructions: string;
  /** The material as sent. */
  material: string;
}

/** A run this long copied from the instructions is a recital, not a coincidence. */
const ECHO_WINDOW = 60;
const ECHO_STEP = 20;
/** A run this long copied from the resume in a rationale is a paste. */
const MATERIAL_ECHO_CHARS = 400;
export const MAX_FIELD_CHARS = { summary: 1500, rationale: 1200, item: 800 } as const;

const ECHO_REPLACEMENT = '[removed: the draft repeated its instructions here]';

interface Haystacks {
  system: string;
  material: string;
}

function copiesFrom(haystack: string, text: string, window: number): boolean {
  const needle = normalizeForMatch(text).text;
  if (needle.length < window) return false;
  for (let i = 0; i + window <= needle.length; i += ECHO_STEP) {
    if (haystack.includes(needle.slice(i, i + window))) return true;
  }
  return haystack.includes(needle.slice(needle.length - window));
}

export function checkOutput(draft: ModelDraft, context: OutputContext): { draft: ModelDraft; flags: Flag[] } {
  const hay: Haystacks = {
    system: normalizeForMatch(context.instructions).text,
    material: normalizeForMatch(context.material).text,
  };
  const flags: Flag[] = [];
  const noted = new Set<string>();
  const note = (code: Flag['code'], message: string, competencyId: string | null = null) => {
    const key = `${code}:${competencyId ?? ''}`;
    if (noted.has(key)) return;
    noted.add(key);
    flags.push({
      code,
      severity: code === 'echoed_prompt' ? 'critical' : 'warning',
      message,
      competencyId,
      span: null,
    });
  };

  const clean = (text: string, limit: number, where: string, competencyId: string | null = null): string => {
    if (copiesFrom(hay.system, text, ECHO_WINDOW)) {
      note(
        'echoed_prompt',
        `The draft's ${where} repeated the screening instructions; that text was removed. The model may have been steered by the material.`,
        competencyId,
      );
      return ECHO_REPLACEMENT;
    }
    let out = text;
    if (out.length > MATERIAL_ECHO_CHARS && copiesFrom(hay.material, out, MATERIAL_ECHO_CHARS)) {
      note(
        'echoed_material',
        `The draft's ${where} pasted the resume back instead of assessing it; it was cut.`,
        competencyId,
      );
      out = `${out.slice(0, 200).trimEnd()}... [cut: pasted resume text]`;
    }
    if (out.length > limit) {
      note(
        'oversized_output',
        `The draft's ${where} ran to ${out.length} characters; it was cut to ${limit}.`,
        competencyId,
      );
      out = `${out.slice(0, limit - 3).trimEnd()}...`;
    }
    return out;
  };
  const cleanList = (items: string[], where: string): string[] =>
    items.slice(0, 12).map((s) => clean(s, MAX_FIELD_CHARS.item, where));

  const plan = draft.interviewPlan;
  const cleaned: ModelDraft = {
    ...draft,
    competencies: draft.competencies.map((c) => ({
      ...c,
      rationale: clean(c.rationale, MAX_FIELD_CHARS.rationale, 'rationale', c.competencyId),
    })),
    summary: clean(draft.summary, MAX_FIELD_CHARS.summary, 'summary'),
    strengths: cleanList(draft.strengths, 'strengths'),
    concerns: cleanList(draft.concerns, 'concerns'),
    interviewPlan: {
      technicalScreen: plan.technicalScreen.slice(0, 12).map((q) => ({
        competencyId: q.competencyId,
        question: clean(q.question, MAX_FIELD_CHARS.item, 'interview question'),
        lookFor: clean(q.lookFor, MAX_FIELD_CHARS.item, 'interview question'),
      })),
      systemDesign: {
        prompt: clean(plan.systemDesign.prompt, MAX_FIELD_CHARS.summary, 'system-design prompt'),
        focus: cleanList(plan.systemDesign.focus, 'system-design focus'),
      },
      cultureFocus: cleanList(plan.cultureFocus, 'culture focus'),
    },
  };
  const lists = [
    draft.strengths,
    draft.concerns,
    plan.technicalScreen,
    plan.systemDesign.focus,
    plan.cultureFocus,
  ];
  if (lists.some((l) => l.length > 12)) {
    note('oversized_output', 'The draft had more than 12 items in a list; the rest were dropped.');
  }
  return { draft: cleaned, flags };
}
