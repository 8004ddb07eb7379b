import type { Role } from './auth-store';

/**
 * What a role granted to something that acts for a user (an API token, a webhook's integration user) allows once the
 * user's own role is taken into account. Roles are not a ladder: an admin may do what a recruiter or a reviewer may,
 * but a recruiter's and a reviewer's permissions do not contain each other. So the result is the larger role that
 * both allow: the same role, or the other one when either is admin. `null` when they have nothing in common (a
 * recruiter's token whose user is now a reviewer): such a credential acts for no one until the user's role fits again
 * or a new one is issued.
 */
export function effectiveRole(granted: Role, current: Role): Role | null {
  if (granted === current) return granted;
  if (granted === 'admin') return current;
  if (current === 'admin') return granted;
  return null;
}

/** Whether a user with role `current` may hand out `granted` (to a token): only a role their own includes. */
export const roleIncludes = (current: Role, granted: Role): boolean =>
  effectiveRole(granted, current) === granted;
