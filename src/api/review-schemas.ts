import { z } from '@hono/zod-openapi';
import { Assessment } from '../assessment/assessment';
import { TokenInfo, User } from '../auth/auth-store';
import { NewToken, NewUser } from '../auth/user-admin';
import { AuditEvent } from '../review/audit-event';
import { HumanFinal, ReviewInput } from '../review/review';
import { StaleRubric } from '../review/stale-rubric';
import { Submission } from '../screening/screening';
import { ScreeningView } from './schemas';

/**
 * API shapes of the review, audit, users and tokens routes, derived from the domain schemas. Zod 4 gives a schema its
 * methods when it is built, so a domain schema built before `@hono/zod-openapi` loaded has no `.openapi`: each is
 * derived anew (`.extend({})`) here first.
 */
export const AuditEventView = AuditEvent.extend({}).openapi('AuditEvent');

export const ReviewView = z
  .object({
    screening: ScreeningView,
    submissions: z.array(Submission.omit({ blobKey: true, textKey: true })),
    draft: Assessment.extend({})
      .nullable()
      .openapi({ description: 'The AI draft; never changed by a review' }),
    final: HumanFinal.extend({}).nullable().openapi('HumanFinal', {
      description: 'The reviewer’s version, beside the draft',
    }),
    pastFinals: z.array(HumanFinal.extend({})).openapi({
      description:
        'Finals made against earlier drafts, set aside when an admin re-queued the screening (oldest first): ' +
        'history only; the review of the current draft starts from the draft',
    }),
    events: z.array(AuditEventView).openapi({ description: 'The screening’s audit trail, oldest first' }),
    staleRubric: StaleRubric.extend({})
      .nullable()
      .openapi('StaleRubric', {
        description:
          'Set when the draft was made with another version of its rubric than the one this deployment drafts ' +
          'with (worked out when read; the draft is unchanged)',
      }),
  })
  .openapi('Review');

export const ReviewRequest = ReviewInput.extend({}).openapi('ReviewRequest', {
  description:
    'A changed level needs a reason; `reject` and `request_changes` need notes. `expectedVersion` is the screening ' +
    'version the reviewer saw: a stale one answers 409.',
});

export const ReviewResult = z
  .object({ screening: ScreeningView, final: HumanFinal.extend({}), event: AuditEventView })
  .openapi('ReviewResult');

export const AuditList = z
  .object({ items: z.array(AuditEventView), nextCursor: z.string().nullable() })
  .openapi('AuditList');

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const UserView = User.omit({ orgId: true })
  .extend({ active: z.boolean() })
  .omit({ disabledAt: true })
  .openapi('User');
export const toUserView = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  active: !u.disabledAt,
});
export const UserList = z.object({ items: z.array(UserView) }).openapi('UserList');
export const NewUserRequest = NewUser.extend({}).openapi('NewUser');
export const UserChangeRequest = z
  .object({ role: User.shape.role.optional(), active: z.boolean().optional() })
  .openapi('UserChange');
export const SignInLinkView = z
  .object({ code: z.string(), url: z.string(), expiresAt: z.iso.datetime() })
  .openapi('SignInLink', {
    description: 'Shown once; hand it to the user. It works once, until it expires.',
  });

export const TokenView = TokenInfo.omit({ orgId: true }).openapi('Token');
export const TokenList = z.object({ items: z.array(TokenView) }).openapi('TokenList');
export const NewTokenRequest = NewToken.extend({}).openapi('NewToken');
export const CreatedToken = z
  .object({
    token: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
    info: TokenView,
  })
  .openapi('CreatedToken');

export const PathId = (example: string) =>
  z.object({
    id: z
      .string()
      .max(64)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });
