import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { AppError } from '../core/app-error';
import type { Services } from '../core/services';
import { newEvent } from '../review/review-store';
import { requireResumeRubric } from '../rubric/rubric-choice';
import type { Principal } from './auth-store';
import { type OrgSettings, OrgSettingsConflict } from './org-settings';

/**
 * What admins change about their organisation, shared by the API and the settings page. Every change is an audit
 * event with the settings before and after, written in the same transaction as the change.
 */
export const OrgSettingsChange = z
  .object({
    blindScreening: z.boolean().optional(),
    /** A resume rubric of this deployment's catalogue, or `null` for the deployment's default. */
    resumeRubricId: z
      .string()
      .regex(/^[a-z0-9-]{1,100}$/, 'a rubric id (lower-case letters, digits and hyphens)')
      .nullable()
      .optional(),
  })
  .strict();
export type OrgSettingsChange = z.infer<typeof OrgSettingsChange>;

export async function readOrgSettingsFor(services: Services, admin: Principal): Promise<OrgSettings> {
  const org = await services.auth.getOrg(admin.orgId);
  if (!org) throw new AppError('not_found', 'not_found', 'No such organisation.');
  return org.settings;
}

/** Applies the change; a change that changes nothing writes no event. Returns the settings after it. */
export async function changeOrgSettings(
  services: Services,
  admin: Principal,
  change: OrgSettingsChange,
): Promise<OrgSettings> {
  if (Object.values(change).every((v) => v === undefined)) {
    throw new AppError('bad_request', 'invalid_request', 'Give a setting to change.', {
      details: { field: '(body)' },
    });
  }
  if (typeof change.resumeRubricId === 'string')
    await requireResumeRubric(change.resumeRubricId, 'resumeRubricId');
  const now = services.now();
  try {
    const { after } = await services.auth.updateOrgSettings(admin.orgId, change, ({ before, after }) =>
      isDeepStrictEqual(before, after)
        ? null
        : services.reviews.orgEventPut(
            newEvent(admin, 'org.settings_updated', { type: 'org', id: admin.orgId }, { before, after }, now),
          ),
    );
    services.logger.info('organisation settings changed', {
      orgId: admin.orgId,
      by: admin.userId,
      ...change,
    });
    return after;
  } catch (error) {
    if (error instanceof OrgSettingsConflict) {
      throw new AppError(
        'conflict',
        'settings_changed',
        'The settings changed meanwhile. Reload them and try again.',
        { cause: error },
      );
    }
    throw error;
  }
}
