import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../api/env';
import { AppError } from '../core/app-error';
import { Vendor, type Vendor as VendorName } from '../integrations/integration';
import { createGuardedHttp } from '../net/guarded-http';
import { ashby } from './ashby';
import { greenhouse } from './greenhouse';
import { lever } from './lever';
import { processDelivery } from './process-delivery';
import type { VendorModule, WebhookRequest } from './vendor';

/**
 * `POST /webhooks/<vendor>/<orgId>`. The organisation is named by the URL the admin pastes into the ATS (vendors
 * cannot add headers of ours), never by the body; the body is trusted only once it verifies with that
 * organisation's secret. The raw body is read once, and the signature checked on exactly those bytes.
 */
export const vendorModules: Record<VendorName, VendorModule> = { greenhouse, lever, ashby };

/** ATS payloads are small JSON documents; the resume itself is fetched separately. */
export const webhookBodyLimitBytes = 1024 * 1024;
const orgIdPattern = /^org_([0-9A-HJKMNP-TV-Z]{26}|[a-z0-9-]{1,40})$/;

const notConfigured = () =>
  new AppError(
    'not_found',
    'integration_not_configured',
    'No enabled integration for this vendor and organisation.',
  );

export const webhooksRoutes = new Hono<AppEnv>();

webhooksRoutes.post(
  '/:vendor/:orgId',
  bodyLimit({
    maxSize: webhookBodyLimitBytes,
    onError: () => {
      throw new AppError('payload_too_large', 'payload_too_large', 'The webhook body is too large.');
    },
  }),
  async (c) => {
    const { services } = c.var;
    const vendor = Vendor.safeParse(c.req.param('vendor'));
    const orgId = c.req.param('orgId');
    if (!vendor.success || !orgIdPattern.test(orgId)) throw notConfigured();
    const integration = await services.integrations.get(orgId, vendor.data);
    if (!integration?.enabled) throw notConfigured();

    const module = vendorModules[vendor.data];
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const request: WebhookRequest = {
      raw,
      text: new TextDecoder().decode(raw),
      header: (name) => c.req.header(name),
    };
    const now = services.now();
    const log = services.logger.child({ vendor: vendor.data, orgId, requestId: c.var.requestId });

    // Best effort: a refused delivery is answered 401 whether or not the count could be written.
    const countFailure = () =>
      services.integrations.recordSignatureFailure(orgId, vendor.data, now).catch((error: unknown) => {
        log.warn('could not count a refused webhook', { error });
      });
    const auth = module.authenticate(request, integration, now, services.config);
    if (!auth.ok) {
      if (auth.status === 401) await countFailure();
      log.warn('webhook refused', { code: auth.code });
      throw new AppError(auth.status === 401 ? 'unauthorized' : 'bad_request', auth.code, auth.message);
    }

    const parsed = module.parse(request);
    const dedupeExpiry = Math.floor(now.getTime() / 1000) + services.config.webhooks.dedupeDays * 86_400;
    if (!parsed.ok) {
      // Authenticated, so worth recording: the vendor (or our schema) has changed.
      const reason = { code: 'malformed_payload', message: parsed.message };
      await services.webhookDeliveries.recordMalformed(
        { orgId, vendor: vendor.data, deliveryId: parsed.deliveryId },
        { event: parsed.event, reason, now, expiresAt: dedupeExpiry },
      );
      log.warn('webhook payload not understood', { deliveryId: parsed.deliveryId, event: parsed.event });
      throw new AppError(
        'bad_request',
        reason.code,
        `The payload does not match the documented shape: ${parsed.message}`,
      );
    }
    const delivery = parsed.delivery;
    if (delivery.kind === 'ping') {
      await services.integrations.recordPing(orgId, vendor.data, now);
      return c.json({ received: true, outcome: 'ping', deliveryId: null }, 200);
    }
    if (auth.replayToken) {
      const fresh = await services.webhookDeliveries.claimToken(
        orgId,
        vendor.data,
        auth.replayToken,
        delivery.deliveryId,
        dedupeExpiry,
      );
      if (!fresh) {
        await countFailure();
        log.warn('webhook refused', { code: 'token_reused' });
        throw new AppError(
          'unauthorized',
          'token_reused',
          'This delivery token was already used by another delivery.',
        );
      }
    }

    const http = createGuardedHttp(services.config.download);
    const result = await processDelivery({ services, module, integration, http }, delivery);
    return c.json(result.body, result.status);
  },
);
