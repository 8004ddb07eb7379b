import { z } from 'zod';
import type { Assessment } from '../assessment/assessment';
import { currentRubric } from '../rubric/current-rubric';

/**
 * `stale_rubric`: a draft made with another version of its rubric than the one this deployment drafts with (by the
 * file's hash, which every draft pins: an edit that forgot to bump `version` counts too). Worked out when the review
 * is read, not stored: the same draft turns stale when a new rubric is deployed. The draft itself is never changed.
 */
const RubricRef = z.object({ id: z.string(), version: z.string(), hash: z.string() });

export const StaleRubric = z.object({
  code: z.literal('stale_rubric'),
  severity: z.literal('warning'),
  message: z.string(),
  draftedWith: RubricRef,
  /** `null` when this deployment no longer has the rubric at all. */
  current: RubricRef.nullable(),
});
export type StaleRubric = z.infer<typeof StaleRubric>;

/** `null` when there is no draft, or it was made with the current rubric. */
export async function staleRubricOf(draft: Assessment | null): Promise<StaleRubric | null> {
  if (!draft) return null;
  const { rubricId, rubricVersion, rubricHash } = draft.provenance;
  const current = await currentRubric(rubricId);
  if (current && current.hash === rubricHash) return null;
  const drafted = `This draft was made with rubric ${rubricId} ${rubricVersion}`;
  const what = !current
    ? `${drafted}, which this deployment no longer has.`
    : current.version === rubricVersion
      ? `${drafted}, whose file has changed since without a new version (its hash differs).`
      : `${drafted}; the current version is ${current.version}.`;
  return {
    code: 'stale_rubric',
    severity: 'warning',
    message: `${what} Review it against the rubric it names, or request changes so that an admin can queue it again for a draft against the current rubric.`,
    draftedWith: { id: rubricId, version: rubricVersion, hash: rubricHash },
    current,
  };
}
