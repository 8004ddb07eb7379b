import { z } from 'zod';
import { Role } from '../auth/auth-store';

/**
 * An audit event: who did what, when, to what, and the state before and after. Events are appended (a conditional
 * Put that never overwrites) and never updated or deleted; the screening's events live in its partition, the others
 * in their own, and all of them in the organisation's audit index (see `src/store/table.ts`).
 */
export const AuditAction = z.enum([
  'review.saved',
  'review.approved',
  'review.rejected',
  'review.changes_requested',
  'screening.requeued',
  'user.created',
  'user.updated',
  'user.sign_in_link_created',
  'token.created',
  'token.revoked',
  'org.settings_updated',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditActor = z.object({
  userId: z.string(),
  role: Role,
  /** How the actor was signed in: a web session or an API token. */
  via: z.enum(['session', 'token']),
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditEvent = z.object({
  id: z.string(),
  orgId: z.string(),
  at: z.iso.datetime(),
  actor: AuditActor,
  action: AuditAction,
  target: z.object({ type: z.enum(['screening', 'user', 'token', 'org']), id: z.string() }),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** Plain words for each action, for the pages. */
export const actionLabels: Record<AuditAction, string> = {
  'review.saved': 'saved the review',
  'review.approved': 'approved',
  'review.rejected': 'rejected',
  'review.changes_requested': 'requested changes',
  'screening.requeued': 're-queued the screening',
  'user.created': 'created a user',
  'user.updated': 'changed a user',
  'user.sign_in_link_created': 'created a sign-in link',
  'token.created': 'created an API token',
  'token.revoked': 'revoked an API token',
  'org.settings_updated': 'changed the organisation’s settings',
};
