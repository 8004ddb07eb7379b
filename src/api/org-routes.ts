import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { changeOrgSettings, OrgSettingsChange, readOrgSettingsFor } from '../auth/org-admin';
import { OrgSettings } from '../auth/org-settings';
import { listRubrics } from '../rubric/current-rubric';
import { resumeRubricFor } from '../rubric/rubric-choice';
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

const resumeRubricDoc = {
  description:
    'The rubric resumes are drafted with when an upload names none: an id from `GET /v1/org/rubrics` of kind ' +
    '`resume`, or `null` for the deployment’s default. Applies to screenings received after the change.',
  example: 'senior-python-data-engineer',
};

export const OrgSettingsView = OrgSettings.extend({
  blindScreening: z.boolean().openapi(blindScreeningDoc),
  resumeRubricId: z.string().nullable().openapi(resumeRubricDoc),
}).openapi('OrgSettings', { description: 'The organisation’s settings' });
const OrgSettingsChangeRequest = OrgSettingsChange.extend({
  blindScreening: z.boolean().optional().openapi(blindScreeningDoc),
  resumeRubricId: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/)
    .nullable()
    .optional()
    .openapi(resumeRubricDoc),
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

export const RubricSummary = z
  .object({
    id: z.string().openapi({ example: 'senior-python-data-engineer' }),
    version: z.string().openapi({ example: '1.0.0' }),
    title: z.string().openapi({ example: 'Senior Python data engineer' }),
    kind: z.enum(['resume', 'take-home']),
  })
  .openapi('RubricSummary');
const RubricCatalogue = z
  .object({
    items: z.array(RubricSummary),
    resumeDefault: z.string().openapi({
      description:
        'The resume rubric an upload without `rubricId` is drafted with: the organisation’s, else the deployment’s',
    }),
  })
  .openapi('RubricCatalogue');

const rubrics = createRoute({
  method: 'get',
  path: '/rubrics',
  summary: 'The rubrics this deployment drafts with',
  description:
    'What an admin may choose as the organisation’s resume rubric (`PATCH /v1/org/settings`) and an upload may ' +
    'name (`rubricId` on `POST /v1/screenings`). Rubrics are versioned files deployed with the service. Roles: any.',
  security,
  responses: {
    200: { description: 'The catalogue', content: { 'application/json': { schema: RubricCatalogue } } },
    ...errorResponses(401),
  },
});

export const orgRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

orgRoutes.use('*', bearerAuth());

orgRoutes
  .openapi(get, async (c) => c.json(await readOrgSettingsFor(c.var.services, c.var.principal), 200))
  .openapi(patch, async (c) => {
    const settings = await changeOrgSettings(c.var.services, c.var.principal, c.req.valid('json'));
    return c.json(settings, 200);
  })
  .openapi(rubrics, async (c) => {
    const items = (await listRubrics()).map(({ id, version, title, kind }) => ({ id, version, title, kind }));
    const resumeDefault = await resumeRubricFor(c.var.services, c.var.principal.orgId);
    return c.json({ items, resumeDefault }, 200);
  });
