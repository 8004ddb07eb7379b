import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { changeOrgSettings, OrgSettingsChange, readOrgSettingsFor } from '../auth/org-admin';
import { OrgSettings } from '../auth/org-settings';
import { bearerAuth, requireRole } from './auth-middleware';
import type { AppEnv } from './env';
import { ErrorBody, errorResponses } from './schemas';
import { validationHook } from './validation-hook';

/** The organisation's own settings (`/v1/org/settings`): admins only, every change in the audit trail. */
const blindScreeningDoc = {
  description:
    'Blind screening: names, contacts, addresses, birth dates and gender markers are redacted (and leak-checked) ' +
    'before the model reads a resume or take-home. On by default. A change applies to every screening drafted ' +
    'after it, queued ones included.',
};

export const OrgSettingsView = OrgSettings.extend({
  blindScreening: z.boolean().openapi(blindScreeningDoc),
}).openapi('OrgSettings', { description: 'The organisation’s settings' });
const OrgSettingsChangeRequest = OrgSettingsChange.extend({
  blindScreening: z.boolean().optional().openapi(blindScreeningDoc),
}).openapi('OrgSettingsChange', {
  description: 'Only the settings to change; the others keep their value. Unknown fields are refused.',
});

const security = [{ bearer: [] }];

const get = createRoute({
  method: 'get',
  path: '/settings',
  summary: 'The organisation’s settings',
  description: `Roles: admin. ${blindScreeningDoc.description}`,
  security,
  middleware: [requireRole('admin')] as const,
  responses: {
    200: { description: 'Settings', content: { 'application/json': { schema: OrgSettingsView } } },
    ...errorResponses(401, 403),
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/settings',
  summary: 'Change the organisation’s settings',
  description:
    'Written with an audit event (`org.settings_updated`, the settings before and after) in one transaction; a ' +
    'change that changes nothing writes no event. Roles: admin.',
  security,
  middleware: [requireRole('admin')] as const,
  request: {
    body: { required: true, content: { 'application/json': { schema: OrgSettingsChangeRequest } } },
  },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: OrgSettingsView } } },
    ...errorResponses(400, 401, 403),
    409: {
      description: 'Another admin changed the settings meanwhile',
      content: { 'application/json': { schema: ErrorBody } },
    },
  },
});

export const orgRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

orgRoutes.use('*', bearerAuth());

orgRoutes
  .openapi(get, async (c) => c.json(await readOrgSettingsFor(c.var.services, c.var.principal), 200))
  .openapi(patch, async (c) => {
    const settings = await changeOrgSettings(c.var.services, c.var.principal, c.req.valid('json'));
    return c.json(settings, 200);
  });
