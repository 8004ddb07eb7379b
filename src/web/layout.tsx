import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Role } from '../auth/auth-store';
import type { WebSession } from '../auth/session-store';
import { assetVersion } from './assets';

/**
 * The page shell. Everything the pages print goes through hono/jsx, which escapes text and attribute values; no page
 * uses `raw` or `dangerouslySetInnerHTML`, so resume text and model output are inert wherever they are shown.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

type Section = 'queue' | 'dashboard' | 'upload' | 'users' | 'tokens' | 'audit' | 'settings' | null;

const navItems: Array<{ section: Exclude<Section, null>; href: string; label: string; roles: Role[] }> = [
  { section: 'queue', href: '/queue', label: 'Screenings', roles: ['recruiter', 'reviewer', 'admin'] },
  { section: 'dashboard', href: '/dashboard', label: 'Velocity', roles: ['recruiter', 'reviewer', 'admin'] },
  { section: 'upload', href: '/upload', label: 'Upload', roles: ['recruiter', 'admin'] },
  { section: 'users', href: '/admin/users', label: 'Users', roles: ['admin'] },
  { section: 'tokens', href: '/admin/tokens', label: 'API tokens', roles: ['admin'] },
  { section: 'audit', href: '/admin/audit', label: 'Audit trail', roles: ['admin'] },
  { section: 'settings', href: '/admin/settings', label: 'Settings', roles: ['admin'] },
];

export function Layout(props: {
  title: string;
  session?: WebSession | null;
  section?: Section;
  children: Child;
  /** Pages that follow a running screening reload themselves without JavaScript too. */
  refreshSeconds?: number;
}) {
  const { session } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Vetline`}</title>
        <link rel="stylesheet" href={`/static/app.css?v=${assetVersion}`} />
        <script src={`/static/app.js?v=${assetVersion}`} defer />
        {props.refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
          </noscript>
        ) : null}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Vetline
          </a>
          {session ? (
            <nav aria-label="Main">
              {navItems
                .filter((item) => item.roles.includes(session.principal.role))
                .map((item) => (
                  <a href={item.href} aria-current={props.section === item.section ? 'page' : undefined}>
                    {item.label}
                  </a>
                ))}
            </nav>
          ) : null}
          {session ? (
            <div class="who">
              <span>
                {session.user.name} ({session.principal.role})
              </span>
              <form method="post" action="/sign-out">
                <CsrfField session={session} />
                <button type="submit">Sign out</button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}

export const CsrfField = ({ session }: { session: WebSession }) => (
  <input type="hidden" name="_csrf" value={session.csrf} />
);

/** Sends a page: the doctype, the CSP and no caching of personal data. */
export function sendPage(c: Context, page: Child, status = 200): Response | Promise<Response> {
  c.header('Content-Security-Policy', contentSecurityPolicy);
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'same-origin');
  return c.html(html`<!doctype html>${page}`, status as 200);
}

export const Notice = (props: { kind?: 'error' | 'ok' | 'warn'; children: Child; id?: string }) => (
  <div class={`notice ${props.kind ?? ''}`} role={props.kind === 'error' ? 'alert' : 'status'} id={props.id}>
    {props.children}
  </div>
);

export const formatDate = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
