import { Hono } from 'hono';
import {
  assertSameOrigin,
  clearSessionCookie,
  preSessionCsrf,
  readPreSessionCsrf,
  readSessionCookie,
  setSessionCookie,
  tokensMatch,
  type WebEnv,
} from '../auth/web-auth';
import { AppError } from '../core/app-error';
import { Layout, Notice, sendPage } from './layout';

/** Only local paths: `next` must not send a freshly signed-in user to another site. */
export const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%~+]*$/.test(next) ? next : '/';

function SignInPage(props: { csrf: string; code: string; next: string; error?: string; who?: string }) {
  return (
    <Layout title="Sign in">
      <div class="card">
        <h1>Sign in to Vetline</h1>
        {props.error ? <Notice kind="error">{props.error}</Notice> : null}
        {props.who ? (
          <p>
            This link signs you in as <strong>{props.who}</strong>.
          </p>
        ) : (
          <p class="muted">
            Vetline signs people in with sign-in links. An admin creates one for you (Users page). Running
            locally, <code>npm start</code> prints one for each dev user and writes them to{' '}
            <code>.data/dev-tokens.json</code>.
          </p>
        )}
        <form method="post" action="/sign-in">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <div class="field">
            <label for="code">Sign-in code</label>
            <input
              type="text"
              id="code"
              name="code"
              value={props.code}
              autocomplete="off"
              spellcheck={false}
              size={60}
              required
              aria-describedby="code-hint"
            />
            <p class="hint" id="code-hint">
              The part of your link after <code>code=</code>, or the whole link.
            </p>
          </div>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </Layout>
  );
}

/** Accepts the whole link pasted in, or just its code. */
function codeFrom(input: string): string {
  const trimmed = input.trim();
  const match = /[?&]code=([^&#\s]+)/.exec(trimmed);
  return match?.[1] ? decodeURIComponent(match[1]) : trimmed;
}

export const signInPages = new Hono<WebEnv>();

signInPages.get('/sign-in', async (c) => {
  const { services } = c.var;
  const code = c.req.query('code') ?? '';
  const next = safeNext(c.req.query('next'));
  const csrf = preSessionCsrf(c);
  // Opening a link does not use it (mail scanners open links); the button does. Say whose link it is first.
  const user = code ? await services.sessions.peekSignInLink(code, services.now()) : null;
  return sendPage(
    c,
    <SignInPage
      csrf={csrf}
      code={code}
      next={next}
      who={user ? `${user.name} (${user.role})` : undefined}
      error={code && !user ? 'This sign-in link is not valid: it may have expired or been used.' : undefined}
    />,
  );
});

signInPages.post('/sign-in', async (c) => {
  const { services } = c.var;
  assertSameOrigin(c);
  const body = await c.req.parseBody();
  const next = safeNext(body.next);
  const code = typeof body.code === 'string' ? codeFrom(body.code) : '';
  if (!tokensMatch(readPreSessionCsrf(c), body._csrf)) {
    return sendPage(
      c,
      <SignInPage
        csrf={preSessionCsrf(c)}
        code={code}
        next={next}
        error="The sign-in form expired. Send it again."
      />,
      403,
    );
  }
  const user = await services.sessions.consumeSignInLink(code, services.now());
  if (!user) {
    return sendPage(
      c,
      <SignInPage
        csrf={preSessionCsrf(c)}
        code=""
        next={next}
        error="This sign-in code is not valid: it may have expired or been used. Ask an admin for a new link."
      />,
      401,
    );
  }
  const session = await services.sessions.create(user, services.config.web.sessionSeconds, services.now());
  // The new cookie replaces the browser's previous one, whoever's it was: end that session now, not at its expiry,
  // so a copy of the old cookie opens nothing.
  const previous = readSessionCookie(c);
  if (previous) await services.sessions.destroy(previous);
  setSessionCookie(c, session.value, session.expiresAt);
  return c.redirect(next, 303);
});

signInPages.post('/sign-out', async (c) => {
  const { services } = c.var;
  assertSameOrigin(c);
  const raw = readSessionCookie(c);
  const session = raw ? await services.sessions.resolve(raw, services.now()) : null;
  const body = await c.req.parseBody();
  if (session && !tokensMatch(session.csrf, body._csrf)) {
    throw new AppError('forbidden', 'csrf_failed', 'The form has expired. Reload the page and try again.');
  }
  if (raw) await services.sessions.destroy(raw);
  clearSessionCookie(c);
  return c.redirect('/sign-in', 303);
});
