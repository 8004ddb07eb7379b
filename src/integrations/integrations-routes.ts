import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bearerAuth, requireRole } from '../api/auth-middleware';
import type { AppEnv } from '../api/env';
import { errorResponses } from '../api/schemas';
import { validationHook } from '../api/validation-hook';
import { AppError } from '../core/app-error';
import { VendorId } from '../webhooks/vendor';
import {
  applyIntegrationInput,
  IntegrationInput,
  IntegrationInputError,
  integrationUserId,
  integrationView,
  Vendor,
  vendorDefaults,
} from './integration';

/**
 * `/v1/integrations`: an organisation's ATS settings. Admin only. Secrets go in and never come out: views say
 * whether a secret is set, not what it is, and nothing here logs a request body.
 */
const security = [{ bearer: [] }];
// Schemas made before `@hono/zod-openapi` extends zod lack `.openapi`: derive fresh ones here.
const VendorName = z.enum(Vendor.options);

const IntegrationViewSchema = z
  .object({
    orgId: z.string(),
    vendor: VendorName,
    enabled: z.boolean(),
    webhookSecretSet: z.boolean(),
    apiKeySet: z.boolean(),
    apiBaseUrl: z.string().nullable(),
    allowedDownloadHosts: z.array(z.string()),
    allowUnsigned: z.boolean(),
    integrationUserId: z.string(),
    webhookPath: z.string().openapi({ example: '/webhooks/greenhouse/org_01JD2W3X4Y5Z6A7B8C9D0E1F2G' }),
    webhookUrl: z.string().nullable().openapi({ description: 'Set when VETLINE_PUBLIC_URL is configured' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastPingAt: z.string().nullable(),
    lastSignatureFailureAt: z.string().nullable(),
    signatureFailures: z.number().int(),
  })
  .openapi('Integration');

const DeliveryView = z
  .object({
    deliveryId: z.string(),
    vendor: z.string(),
    event: z.string(),
    applicationId: z.string().nullable(),
    status: z.enum(['processing', 'done', 'retryable']),
    outcome: z.string().nullable(),
    reason: z.object({ code: z.string(), message: z.string() }).nullable(),
    screeningId: z.string().nullable(),
    httpStatus: z.number().nullable(),
    attempts: z.number().int(),
    receivedAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

const VendorParam = z.object({ vendor: VendorName.openapi({ param: { name: 'vendor', in: 'path' } }) });
const DeliveryParams = VendorParam.extend({
  deliveryId: z.string().openapi({ param: { name: 'deliveryId', in: 'path' } }),
});
const InputSchema = IntegrationInput.extend({}).openapi('IntegrationInput', {
  description:
    'Secrets (`webhookSecret`, `apiKey`) are write-only: leave them out to keep the stored value, `null` clears them.',
});

const list = createRoute({
  method: 'get',
  path: '/',
  summary: 'The organisation’s ATS integrations',
  description: 'Roles: admin.',
  security,
  responses: {
    200: {
      description: 'Configured integrations',
      content: { 'application/json': { schema: z.object({ items: z.array(IntegrationViewSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});
const get = createRoute({
  method: 'get',
  path: '/{vendor}',
  summary: 'One ATS integration (secrets are never returned)',
  description: 'Roles: admin.',
  security,
  request: { params: VendorParam },
  responses: {
    200: {
      description: 'The integration',
      content: { 'application/json': { schema: IntegrationViewSchema } },
    },
    ...errorResponses(401, 403, 404),
  },
});
const put = createRoute({
  method: 'put',
  path: '/{vendor}',
  summary: 'Configure an ATS integration',
  description:
    'Creates or replaces the settings; also creates the integration user the webhooks act as (recruiter role). ' +
    'Roles: admin.',
  security,
  request: {
    params: VendorParam,
    body: { required: true, content: { 'application/json': { schema: InputSchema } } },
  },
  responses: {
    200: {
      description: 'The integration',
      content: { 'application/json': { schema: IntegrationViewSchema } },
    },
    ...errorResponses(400, 401, 403),
  },
});
const remove = createRoute({
  method: 'delete',
  path: '/{vendor}',
  summary: 'Remove an ATS integration (its webhooks then answer 404)',
  description: 'Roles: admin.',
  security,
  request: { params: VendorParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404) },
});
const delivery = createRoute({
  method: 'get',
  path: '/{vendor}/deliveries/{deliveryId}',
  summary: 'What became of one webhook delivery (by the vendor’s delivery id)',
  description: 'Roles: admin.',
  security,
  request: { params: DeliveryParams },
  responses: {
    200: { description: 'The delivery record', content: { 'application/json': { schema: DeliveryView } } },
    ...errorResponses(401, 403, 404),
  },
});

const noIntegration = () => new AppError('not_found', 'not_found', 'No such integration.');

export const integrationsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
integrationsRoutes.use('*', bearerAuth(), requireRole('admin'));

integrationsRoutes
  .openapi(list, async (c) => {
    const { services, principal } = c.var;
    const items = await services.integrations.list(principal.orgId);
    return c.json({ items: items.map((i) => integrationView(i, services.config.publicUrl)) }, 200);
  })
  .openapi(get, async (c) => {
    const { services, principal } = c.var;
    const found = await services.integrations.get(principal.orgId, c.req.valid('param').vendor);
    if (!found) throw noIntegration();
    return c.json(integrationView(found, services.config.publicUrl), 200);
  })
  .openapi(put, async (c) => {
    const { services, principal } = c.var;
    const { vendor } = c.req.valid('param');
    const now = services.now();
    const existing = await services.integrations.get(principal.orgId, vendor);
    let next: ReturnType<typeof applyIntegrationInput>;
    try {
      next = applyIntegrationInput(existing, c.req.valid('json'), {
        orgId: principal.orgId,
        vendor,
        now,
        allowHttpApi: services.config.download.unsafeAllowLoopbackHttp,
      });
    } catch (error) {
      if (!(error instanceof IntegrationInputError)) throw error;
      throw new AppError('bad_request', 'invalid_integration', error.message, {
        details: { field: error.field },
      });
    }
    await services.auth
      .createUser({
        id: integrationUserId(vendor),
        orgId: principal.orgId,
        email: `${vendor}@integrations.vetline.local`,
        name: `${vendorDefaults[vendor].label} integration`,
        role: 'recruiter',
        createdAt: now.toISOString(),
      })
      .catch((error: unknown) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
    await services.integrations.put(next);
    services.logger.info('integration configured', { orgId: principal.orgId, vendor, by: principal.userId });
    return c.json(integrationView(next, services.config.publicUrl), 200);
  })
  .openapi(remove, async (c) => {
    const { services, principal } = c.var;
    const { vendor } = c.req.valid('param');
    if (!(await services.integrations.delete(principal.orgId, vendor))) throw noIntegration();
    services.logger.info('integration removed', { orgId: principal.orgId, vendor, by: principal.userId });
    return c.body(null, 204);
  })
  .openapi(delivery, async (c) => {
    const { services, principal } = c.var;
    const { vendor, deliveryId } = c.req.valid('param');
    const id = VendorId.safeParse(deliveryId);
    const found = id.success
      ? await services.webhookDeliveries.getDelivery({ orgId: principal.orgId, vendor, deliveryId: id.data })
      : null;
    if (!found) throw new AppError('not_found', 'not_found', 'No such delivery.');
    const { orgId: _o, leaseUntil: _l, expiresAt: _e, ...view } = found;
    return c.json(view, 200);
  });
