import type { Config } from '../core/config';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { listRubrics } from '../rubric/current-rubric';
import { loadRubric } from '../rubric/rubric';
import { TAKE_HOME_TEMPLATE_ID } from '../takehome/take-home-kind';
import { RESUME_TEMPLATE_ID } from './resume-kind';

/**
 * Reads and validates every rubric and template the worker drafts with, so that a broken prompt file stops a process
 * at start rather than failing its first screening: every rubric in the catalogue, since an organisation or an upload
 * may choose any of them. The loaders cache, so drafting later reuses what this read. The
 * API function does not call it: it never drafts, and its bundle carries no prompts.
 */
export async function preloadPrompts(config: Config): Promise<void> {
  await Promise.all([
    loadRubric(config.rubricId),
    loadPromptTemplate(RESUME_TEMPLATE_ID),
    loadRubric(config.takeHome.rubricId),
    loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
    ...(await listRubrics()).map((r) => loadRubric(r.id)),
  ]);
}
