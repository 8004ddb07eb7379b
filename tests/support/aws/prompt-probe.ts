/**
 * A Lambda-style entry for tests: bundled exactly as the functions are (`bundleEntry` in
 * scripts/bundle-functions.ts), it loads the prompt files it is asked for through the application's loaders and
 * answers what they gave, or the error they raised. Tests compare that with the same loaders run from source.
 */
import { loadPromptTemplate } from '../../../src/prompting/prompt-template';
import { loadRubric } from '../../../src/rubric/rubric';

export interface ProbeEvent {
  rubrics: string[];
  templates: string[];
  /** Passed to the loaders as the prompts folder (bundles must refuse one). */
  dir?: string;
}

export type Outcome = { value: unknown } | { error: string; name: string };

const settle = async (load: Promise<unknown>): Promise<Outcome> => {
  try {
    return { value: await load };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), name: (error as Error).name };
  }
};

export async function handler(
  event: ProbeEvent,
): Promise<{ rubrics: Record<string, Outcome>; templates: Record<string, Outcome> }> {
  const rubrics: Record<string, Outcome> = {};
  const templates: Record<string, Outcome> = {};
  for (const id of event.rubrics) rubrics[id] = await settle(loadRubric(id, event.dir));
  for (const id of event.templates) templates[id] = await settle(loadPromptTemplate(id, event.dir));
  return { rubrics, templates };
}
