import type { Services } from '../core/services';
import type { HiddenSpan } from '../extraction/hidden-span';
import type { PromptTemplate } from '../prompting/prompt-template';
import type { Rubric } from '../rubric/rubric';
import type { CodeText } from '../safety/code-text';
import type { ScreeningRecord } from '../store/screening-store';
import type { StatusReason } from './screening';

/**
 * What differs between the kinds of material a screening assesses (a resume, a take-home): how it is loaded and
 * rendered into the text the model reads, and which rubric and template judge it. Everything else (the claim, the
 * attempt limit, failing with a reason, stale writes, saving) is `processScreeningJob`'s, and all the trust work
 * (injections, blind screening, drafts, grounding, samples, plan, cost) is `draftAssessment`'s, for both kinds.
 */
export interface ScreeningMaterial {
  rubric: Rubric;
  template: PromptTemplate;
  /** The text the model reads (a resume's visible text; a take-home's summary and files, rendered). */
  text: string;
  /** Text a person would not see: reported to the reviewer, never sent. */
  hidden: readonly HiddenSpan[];
  /** A take-home's layout: quotes are grounded to `path:line-line`, flags point at files and lines. */
  code?: CodeText;
  /** A few figures for the worker's log line. */
  figures?: Record<string, number>;
}

export type LoadedMaterial = { ok: true; material: ScreeningMaterial } | { ok: false; reason: StatusReason };

export interface ScreeningKindHandler {
  /**
   * Reads the screening's material (from what intake stored, or from the kept upload when intake could not read it,
   * storing the result so a retry does not read it again). A file that cannot be read is `ok: false` with the reason.
   */
  load(services: Services, record: ScreeningRecord): Promise<LoadedMaterial>;
}
