import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { integrationsRoutes } from '../integrations/integrations-routes';
import { webRoutes } from '../web/web-routes';
import { webhooksRoutes } from '../webhooks/webhooks-routes';
import { auditRoutes } from './audit-routes';
import { candidatesRoutes } from './candidates-routes';
import { renderDocsPage } from './docs-page';
import type { AppEnv } from './env';
import { orgRoutes } from './org-routes';
import { reviewsRoutes } from './reviews-routes';
import { screeningsRoutes } from './screenings-routes';
import { takeHomesRoutes } from './take-homes-routes';
import { tokensRoutes } from './tokens-routes';
import { usersRoutes } from './users-routes';
import { validationHook } from './validation-hook';

export const openApiInfo = {
  openapi: '3.1.0',
  info: {
    title: 'Vetline API',
    version: '1.0.0',
    description:
      'AI-assisted, evidence-grounded screening of senior Python engineers. Drafts are advisory: a human reviewer ' +
      'approves, edits or rejects every one.',
  },
} as const;

/**
 * The whole HTTP application, independent of where it runs: `src/local/main.ts` serves it with @hono/node-server,
 * `functions/api.ts` hands it to Lambda. Errors become responses in exactly one place, `onError`.
 */
export function createApp(services: Services) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', requestId());
  app.use('*', secureHeaders());
  app.use('*', async (c, next) => {
    c.set('services', services);
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/v1/screenings', screeningsRoutes);
  // Human review: API routes, then the pages (which set their own Content-Security-Policy).
  app.route('/v1/reviews', reviewsRoutes);
  app.route('/v1/audit', auditRoutes);
  app.route('/v1/users', usersRoutes);
  app.route('/v1/tokens', tokensRoutes);
  app.route('/', webRoutes);
  app.route('/v1/integrations', integrationsRoutes);
  app.route('/webhooks', webhooksRoutes);
  // Take-homes: attached to candidates, and what Vetline read of each archive.
  app.route('/v1/candidates', candidatesRoutes);
  app.route('/v1/take-homes', takeHomesRoutes);
  // The organisation's own settings (blind screening), for admins.
  app.route('/v1/org', orgRoutes);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token: `vtl.<organisation>.<secret>`. Local dev tokens are printed at start.',
  });
  app.doc31('/openapi.json', openApiInfo);
  app.get('/docs', (c) => {
    const spec = app.getOpenAPI31Document(openApiInfo);
    return c.html(renderDocsPage(spec as unknown as Record<string, unknown>));
  });

  app.notFound((c) => c.json(new AppError('not_found', 'not_found', 'No such route.').toJSON(), 404));

  app.onError((error, c) => {
    if (isAppError(error)) {
      if (error.status >= 500) services.logger.error('request failed', { error, requestId: c.var.requestId });
      return c.json(error.toJSON(), error.status as 400);
    }
    if (error instanceof HTTPException) {
      // Hono's own: malformed multipart or JSON bodies, mostly.
      const status = error.status;
      const code = status === 400 ? 'malformed_request' : 'http_error';
      return c.json({ error: { code, message: error.message || 'Bad request.' } }, status);
    }
    services.logger.error('unhandled error', { error, requestId: c.var.requestId, path: c.req.path });
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
