import { AppError } from '../core/app-error';
import type { Services } from '../core/services';
import { type CurrentRubric, currentRubric, listRubrics } from './current-rubric';

/**
 * Which rubric a resume is drafted with: the one the upload names, else the organisation's choice (org settings,
 * `resumeRubricId`), else the deployment's (`VETLINE_RUBRIC`). A choice is checked against the catalogue when it is
 * made, so a typo is a 400 naming the field rather than a screening that fails later.
 */

/** A resume rubric of this deployment, or a 400 that names `field` and lists the ids it could have been. */
export async function requireResumeRubric(id: string, field: string): Promise<CurrentRubric> {
  const rubric = await currentRubric(id);
  if (rubric?.kind === 'resume') return rubric;
  const known = (await listRubrics('resume')).map((r) => r.id);
  throw new AppError(
    'bad_request',
    'unknown_rubric',
    rubric
      ? `The rubric ${id} is not for resumes. Choose one of: ${known.join(', ')}.`
      : `There is no rubric ${id}. Choose one of: ${known.join(', ')}.`,
    { details: { field, rubrics: known } },
  );
}

/**
 * The rubric id to record on a new resume screening. An organisation default that this deployment no longer has
 * (its file was removed since an admin chose it) gives way to the deployment's, with a warning: uploads keep working,
 * and the settings page says the choice is gone.
 */
export async function resumeRubricFor(
  services: Pick<Services, 'auth' | 'config' | 'logger'>,
  orgId: string,
  requested?: string | null,
): Promise<string> {
  if (requested) return (await requireResumeRubric(requested, 'rubricId')).id;
  const org = await services.auth.getOrg(orgId);
  const chosen = org?.settings.resumeRubricId ?? null;
  if (chosen === null) return services.config.rubricId;
  const rubric = await currentRubric(chosen);
  if (rubric?.kind === 'resume') return rubric.id;
  services.logger.warn('the organisation’s resume rubric is not in this deployment; using the default', {
    orgId,
    resumeRubricId: chosen,
    rubricId: services.config.rubricId,
  });
  return services.config.rubricId;
}
