import type { Context } from 'hono';
import { Hono } from 'hono';
import { Role, type User } from '../auth/auth-store';
import type { WebSession } from '../auth/session-store';
import {
  changeUser,
  createApiToken,
  createSignInLink,
  createUser,
  NewToken,
  NewUser,
  revokeApiToken,
} from '../auth/user-admin';
import { csrfProtection, requireWebRole, sessionAuth, type WebEnv } from '../auth/web-auth';
import { AppError, isAppError } from '../core/app-error';
import { CsrfField, formatDate, Layout, Notice, sendPage } from './layout';
import { AuditTrail } from './review-form';

/** Admin pages: users (roles, deactivation, sign-in links), API tokens, and the organisation's audit trail. */
type Shown = { kind: 'ok' | 'error'; text: string; secret?: string } | null;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function Secret(props: { value: string; label: string }) {
  return (
    <div class="field">
      <label for="secret">{props.label}</label>
      <input type="text" id="secret" value={props.value} readonly size={70} />
      <p class="hint">Shown once. Copy it now.</p>
    </div>
  );
}

async function usersPage(c: Context<WebEnv>, shown: Shown, status = 200) {
  const { services, principal, session } = c.var;
  const users = await services.auth.listUsers(principal.orgId);
  return sendPage(
    c,
    <Layout title="Users" session={session} section="users">
      <h1>Users</h1>
      {shown ? (
        <Notice kind={shown.kind}>
          {shown.text}
          {shown.secret ? <Secret value={shown.secret} label="Sign-in link" /> : null}
        </Notice>
      ) : null}
      <div class="table-wrap card">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <UserRow user={u} session={session} />
            ))}
          </tbody>
        </table>
      </div>
      <section class="card" aria-labelledby="new-user">
        <h2 id="new-user">Add a user</h2>
        <form method="post" action="/admin/users">
          <CsrfField session={session} />
          <div class="field">
            <label for="name">Name</label>
            <input type="text" id="name" name="name" required />
          </div>
          <div class="field">
            <label for="email">E-mail</label>
            <input type="email" id="email" name="email" required />
          </div>
          <div class="field">
            <label for="role">Role</label>
            <select id="role" name="role">
              {Role.options.map((r) => (
                <option value={r}>{r}</option>
              ))}
            </select>
          </div>
          <button type="submit">Add user and create a sign-in link</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

function UserRow(props: { user: User; session: WebSession }) {
  const u = props.user;
  return (
    <tr>
      <td>{u.name}</td>
      <td>{u.email}</td>
      <td>
        <form method="post" action={`/admin/users/${u.id}`}>
          <CsrfField session={props.session} />
          <label for={`role-${u.id}`} class="small">
            Role of {u.name}
          </label>
          <select id={`role-${u.id}`} name="role">
            {Role.options.map((r) => (
              <option value={r} selected={r === u.role}>
                {r}
              </option>
            ))}
          </select>{' '}
          <button type="submit" class="secondary">
            Change role
          </button>
        </form>
      </td>
      <td>{u.disabledAt ? 'deactivated' : 'active'}</td>
      <td class="actions">
        <form method="post" action={`/admin/users/${u.id}`}>
          <CsrfField session={props.session} />
          <input type="hidden" name="active" value={u.disabledAt ? 'true' : 'false'} />
          <button type="submit" class="secondary">
            {u.disabledAt ? 'Reactivate' : 'Deactivate'}
          </button>
        </form>
        {u.disabledAt ? null : (
          <form method="post" action={`/admin/users/${u.id}/sign-in-link`}>
            <CsrfField session={props.session} />
            <button type="submit" class="secondary">
              New sign-in link
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

async function tokensPage(c: Context<WebEnv>, shown: Shown, status = 200) {
  const { services, principal, session } = c.var;
  const [tokens, users] = await Promise.all([
    services.auth.listTokens(principal.orgId),
    services.auth.listUsers(principal.orgId),
  ]);
  const names = new Map(users.map((u) => [u.id, u.name]));
  return sendPage(
    c,
    <Layout title="API tokens" session={session} section="tokens">
      <h1>API tokens</h1>
      {shown ? (
        <Notice kind={shown.kind}>
          {shown.text}
          {shown.secret ? <Secret value={shown.secret} label="Token" /> : null}
        </Notice>
      ) : null}
      <div class="table-wrap card">
        <table>
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Acts as</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.label}</td>
                <td>
                  {names.get(t.userId) ?? t.userId} ({t.role})
                </td>
                <td>{formatDate(t.createdAt)}</td>
                <td>
                  {t.revokedAt ? (
                    `revoked ${formatDate(t.revokedAt)}`
                  ) : (
                    <form method="post" action={`/admin/tokens/${t.tokenId}/revoke`}>
                      <CsrfField session={session} />
                      <button type="submit" class="danger" aria-label={`Revoke ${t.label}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section class="card" aria-labelledby="new-token">
        <h2 id="new-token">Create a token for an integration</h2>
        <form method="post" action="/admin/tokens">
          <CsrfField session={session} />
          <div class="field">
            <label for="label">Label</label>
            <input type="text" id="label" name="label" required placeholder="Greenhouse webhook" />
          </div>
          <div class="field">
            <label for="userId">Acts as</label>
            <select id="userId" name="userId">
              {users
                .filter((u) => !u.disabledAt)
                .map((u) => (
                  <option value={u.id}>
                    {u.name} ({u.role})
                  </option>
                ))}
            </select>
          </div>
          <button type="submit">Create token</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

/** Domain errors a form can cause come back on the same page; the rest go to the error page. */
const shownError = (error: unknown): Shown => {
  if (isAppError(error) && error.status < 500) return { kind: 'error', text: error.message };
  throw error;
};

export const adminPages = new Hono<WebEnv>();
const guard = () => [sessionAuth(), requireWebRole('admin')] as const;

adminPages.get('/admin/users', ...guard(), (c) => usersPage(c, null));

adminPages.post('/admin/users', ...guard(), csrfProtection(), async (c) => {
  const { services, principal } = c.var;
  const body = await c.req.parseBody();
  const input = NewUser.safeParse({ name: text(body.name), email: text(body.email), role: text(body.role) });
  try {
    if (!input.success)
      throw new AppError('bad_request', 'invalid_request', 'Give a name, a valid e-mail and a role.');
    const user = await createUser(services, principal, input.data);
    const link = await createSignInLink(services, principal, user.id);
    const url = `${new URL(c.req.url).origin}/sign-in?code=${encodeURIComponent(link.code)}`;
    return usersPage(c, {
      kind: 'ok',
      text: `Added ${user.name}. Give them this sign-in link.`,
      secret: url,
    });
  } catch (error) {
    return usersPage(c, shownError(error), 400);
  }
});

adminPages.post('/admin/users/:id', ...guard(), csrfProtection(), async (c) => {
  const body = await c.req.parseBody();
  const role = Role.safeParse(text(body.role));
  const active = text(body.active);
  try {
    const user = await changeUser(c.var.services, c.var.principal, c.req.param('id'), {
      ...(role.success ? { role: role.data } : {}),
      ...(active === 'true' || active === 'false' ? { active: active === 'true' } : {}),
    });
    return usersPage(c, { kind: 'ok', text: `Changed ${user.name}.` });
  } catch (error) {
    return usersPage(c, shownError(error), 400);
  }
});

adminPages.post('/admin/users/:id/sign-in-link', ...guard(), csrfProtection(), async (c) => {
  try {
    const link = await createSignInLink(c.var.services, c.var.principal, c.req.param('id'));
    const url = `${new URL(c.req.url).origin}/sign-in?code=${encodeURIComponent(link.code)}`;
    return usersPage(c, {
      kind: 'ok',
      text: `A sign-in link for ${link.user.name}; it works once.`,
      secret: url,
    });
  } catch (error) {
    return usersPage(c, shownError(error), 400);
  }
});

adminPages.get('/admin/tokens', ...guard(), (c) => tokensPage(c, null));

adminPages.post('/admin/tokens', ...guard(), csrfProtection(), async (c) => {
  const body = await c.req.parseBody();
  const input = NewToken.safeParse({ label: text(body.label), userId: text(body.userId) });
  try {
    if (!input.success) throw new AppError('bad_request', 'invalid_request', 'Give a label and a user.');
    const { token } = await createApiToken(c.var.services, c.var.principal, input.data);
    return tokensPage(c, { kind: 'ok', text: 'Token created.', secret: token });
  } catch (error) {
    return tokensPage(c, shownError(error), 400);
  }
});

adminPages.post('/admin/tokens/:id/revoke', ...guard(), csrfProtection(), async (c) => {
  try {
    const token = await revokeApiToken(c.var.services, c.var.principal, c.req.param('id'));
    return tokensPage(c, { kind: 'ok', text: `Revoked ${token.label}.` });
  } catch (error) {
    return tokensPage(c, shownError(error), 400);
  }
});

adminPages.get('/admin/audit', ...guard(), async (c) => {
  const { services, principal, session } = c.var;
  const cursor = c.req.query('cursor');
  const [page, users] = await Promise.all([
    services.reviews.listOrgEvents(principal.orgId, { limit: 50, cursor: cursor || undefined }),
    services.auth.listUsers(principal.orgId),
  ]);
  return sendPage(
    c,
    <Layout title="Audit trail" session={session} section="audit">
      <h1>Audit trail</h1>
      <p class="muted small">
        Newest first. Append-only: every review decision, re-queue, user and token change.
      </p>
      <div class="card">
        <AuditTrail events={page.items} users={new Map(users.map((u) => [u.id, u]))} target />
      </div>
      <nav class="pager" aria-label="Pages">
        {cursor ? <a href="/admin/audit">Newest</a> : null}
        {page.nextCursor ? (
          <a href={`/admin/audit?cursor=${encodeURIComponent(page.nextCursor)}`}>Older</a>
        ) : null}
      </nav>
    </Layout>,
  );
});
