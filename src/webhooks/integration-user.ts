import type { Principal, Role } from '../auth/auth-store';
import { effectiveRole } from '../auth/roles';
import type { Services } from '../core/services';
import { type Integration, vendorDefaults } from '../integrations/integration';
import type { DeliveryReason } from './delivery-records';

/** What a webhook is granted: it uploads, as a recruiter would. */
const webhookRole: Role = 'recruiter';

/**
 * A webhook acts as the organisation's integration user for its vendor, under the same rule as an API token: as the
 * user is now (one GetItem). A deactivated integration user, or one whose role no longer includes the recruiter's,
 * is a configuration problem only an admin can fix, so the delivery is refused rather than screened by nobody.
 */
export async function integrationActor(
  services: Services,
  integration: Integration,
): Promise<{ ok: true; principal: Principal } | { ok: false; reason: DeliveryReason }> {
  const label = vendorDefaults[integration.vendor].label;
  const user = await services.auth.getUser(integration.orgId, integration.integrationUserId);
  if (!user || user.disabledAt) {
    return {
      ok: false,
      reason: {
        code: 'integration_user_inactive',
        message:
          `The ${label} integration user is deactivated: an admin must reactivate it (Users) before Vetline ` +
          `accepts ${label} applications.`,
      },
    };
  }
  const role = effectiveRole(webhookRole, user.role);
  if (!role) {
    return {
      ok: false,
      reason: {
        code: 'integration_user_role',
        message:
          `The ${label} integration user is a ${user.role}, and webhooks upload as a recruiter: an admin must ` +
          'give it the recruiter role back (Users).',
      },
    };
  }
  return {
    ok: true,
    principal: {
      orgId: user.orgId,
      userId: user.id,
      role,
      tokenId: `webhook:${integration.vendor}`,
    },
  };
}
