import type { Context } from 'hono';
import { Hono } from 'hono';
import { Role, type User } from '../auth/auth-store';
import type { WebSession } from '../auth/session-store';
import { changeUser, createSignInLink, createUser, NewUser } from '../auth/user-admin';
import { csrfProtection, requireWebRole, sessionAuth, type WebEnv } from '../auth/web-auth';
import { AppError, isAppError } from '../core/app-error';
import { CsrfField, Layout, Notice, sendPage } from './layout';

/** Admin pages: users (roles, deactivation, sign-in links). API tokens and the audit trail: `admin-tokens-pages.tsx`. */
export type Shown = { kind: 'ok' | 'error'; text: string; secret?: string } | null;

export const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function Secret(props: { value: string; label: string }) {
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

/** Domain errors a form can cause come back on the same page; the rest go to the error page. */
export const shownError = (error: unknown): Shown => {
  if (isAppError(error) && error.status < 500) return { kind: 'error', text: error.message };
  throw error;
};

export const adminPages = new Hono<WebEnv>();
export const guard = () => [sessionAuth(), requireWebRole('admin')] as const;

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
