import { Hono } from 'hono';
import type { WebEnv } from '../auth/web-auth';
import { isAppError } from '../core/app-error';
import { adminPages } from './admin-pages';
import { adminSettingsPages } from './admin-settings-page';
import { adminTokenPages } from './admin-tokens-pages';
import { script, stylesheet } from './assets';
import { dashboardPages } from './dashboard-page';
import { Layout, sendPage } from './layout';
import { queuePages } from './queue-page';
import { screeningPages } from './screening-page';
import { signInPages } from './sign-in-pages';
import { uploadPages } from './upload-page';

/**
 * The pages, served by the same app as the API: server-rendered with hono/jsx (no client framework, nothing to
 * build; a small static script adds upload progress and live status). Mounted at `/`, so nothing here uses
 * `use('*')`: each route names its own middleware (session, CSRF, role), and the API under `/v1` is untouched.
 */
export const webRoutes = new Hono<WebEnv>();

const immutable = 'public, max-age=31536000, immutable';
webRoutes.get('/static/app.css', (c) => {
  c.header('Cache-Control', immutable);
  return c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
});
webRoutes.get('/static/app.js', (c) => {
  c.header('Cache-Control', immutable);
  return c.body(script, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
});

webRoutes.route('/', signInPages);
webRoutes.route('/', queuePages);
webRoutes.route('/', screeningPages);
webRoutes.route('/', dashboardPages);
webRoutes.route('/', uploadPages);
webRoutes.route('/', adminPages);
webRoutes.route('/', adminTokenPages);
webRoutes.route('/', adminSettingsPages);

const titles: Record<number, string> = {
  400: 'That did not work',
  401: 'Signed out',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Changed meanwhile',
  413: 'Too large',
};

/** Errors on pages are pages: the same AppError messages as the API, in the layout; the rest are logged, not shown. */
webRoutes.onError((error, c) => {
  const { services } = c.var;
  const known = isAppError(error) && error.status < 500;
  if (!known) services.logger.error('page failed', { error, requestId: c.var.requestId, path: c.req.path });
  const status = known ? error.status : 500;
  const message = known ? error.message : 'Something went wrong on our side. Try again in a moment.';
  if (
    (c.req.header('accept') ?? '').includes('application/json') &&
    !(c.req.header('accept') ?? '').includes('text/html')
  ) {
    return c.json({ error: { code: known ? error.code : 'internal_error', message } }, status as 400);
  }
  return sendPage(
    c,
    <Layout title={titles[status] ?? 'Error'} session={c.var.session ?? null}>
      <h1>{titles[status] ?? 'Error'}</h1>
      <p>{message}</p>
      <p>{status === 401 ? <a href="/sign-in">Sign in</a> : <a href="/">Back to Vetline</a>}</p>
    </Layout>,
    status,
  );
});
