import { type Context, Hono } from 'hono';
import { Role } from '../auth/auth-store';
import { createApiToken, NewToken, revokeApiToken } from '../auth/user-admin';
import { csrfProtection, type WebEnv } from '../auth/web-auth';
import { AppError } from '../core/app-error';
import { guard, Secret, type Shown, shownError, text } from './admin-pages';
import { CsrfField, formatDate, Layout, Notice, sendPage } from './layout';
import { AuditTrail } from './review-form';

/** Admin pages, continued: API tokens for integrations, and the organisation's audit trail. */
async function tokensPage(c: Context<WebEnv>, shown: Shown, status = 200) {
  const { services, principal, session } = c.var;
  const [tokens, users] = await Promise.all([
    services.auth.listTokens(principal.orgId),
    services.auth.listUsers(principal.orgId),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
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
                  {byId.get(t.userId)?.name ?? t.userId} ({t.role})
                  {byId.get(t.userId)?.disabledAt ? (
                    <span class="muted small"> user deactivated: the token answers 401</span>
                  ) : null}
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
          <div class="field">
            <label for="token-role">Role</label>
            <select id="token-role" name="role" aria-describedby="token-role-hint">
              <option value="">the user’s role</option>
              {Role.options.map((r) => (
                <option value={r}>{r}</option>
              ))}
            </select>
            <p class="hint" id="token-role-hint">
              At most the user’s role. The token always acts as its user as they are now: demoting or
              deactivating the user limits or stops it at once.
            </p>
          </div>
          <button type="submit">Create token</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

export const adminTokenPages = new Hono<WebEnv>();

adminTokenPages.get('/admin/tokens', ...guard(), (c) => tokensPage(c, null));

adminTokenPages.post('/admin/tokens', ...guard(), csrfProtection(), async (c) => {
  const body = await c.req.parseBody();
  const role = text(body.role);
  const input = NewToken.safeParse({
    label: text(body.label),
    userId: text(body.userId),
    ...(role ? { role } : {}),
  });
  try {
    if (!input.success)
      throw new AppError('bad_request', 'invalid_request', 'Give a label, a user and a role.');
    const { token } = await createApiToken(c.var.services, c.var.principal, input.data);
    return tokensPage(c, { kind: 'ok', text: 'Token created.', secret: token });
  } catch (error) {
    return tokensPage(c, shownError(error), 400);
  }
});

adminTokenPages.post('/admin/tokens/:id/revoke', ...guard(), csrfProtection(), async (c) => {
  try {
    const token = await revokeApiToken(c.var.services, c.var.principal, c.req.param('id'));
    return tokensPage(c, { kind: 'ok', text: `Revoked ${token.label}.` });
  } catch (error) {
    return tokensPage(c, shownError(error), 400);
  }
});

adminTokenPages.get('/admin/audit', ...guard(), async (c) => {
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
