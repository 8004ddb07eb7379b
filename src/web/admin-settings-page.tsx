import type { Context } from 'hono';
import { Hono } from 'hono';
import { changeOrgSettings, readOrgSettingsFor } from '../auth/org-admin';
import type { OrgSettings } from '../auth/org-settings';
import { csrfProtection, type WebEnv } from '../auth/web-auth';
import { AppError } from '../core/app-error';
import { guard, type Shown, shownError, text } from './admin-pages';
import { CsrfField, Layout, Notice, sendPage } from './layout';

/** Admin page: the organisation's settings (blind screening). Changes go to the audit trail, as through the API. */
async function settingsPage(c: Context<WebEnv>, shown: Shown, status = 200, settings?: OrgSettings) {
  const { services, principal, session } = c.var;
  const current = settings ?? (await readOrgSettingsFor(services, principal));
  return sendPage(
    c,
    <Layout title="Settings" session={session} section="settings">
      <h1>Organisation settings</h1>
      {shown ? <Notice kind={shown.kind}>{shown.text}</Notice> : null}
      <section class="card" aria-labelledby="blind">
        <h2 id="blind">Blind screening</h2>
        <p>
          Blind screening is <strong id="blind-state">{current.blindScreening ? 'on' : 'off'}</strong>.
        </p>
        <p class="muted small">
          When on, names, contact details, addresses, birth dates and gender markers are redacted from resumes
          and take-homes, and the redaction is checked, before the model reads them; if the check fails,
          nothing is sent. Reviewers still see the original. A change applies to every screening drafted after
          it, including those waiting in the queue, and is recorded in the audit trail.
        </p>
        <form method="post" action="/admin/settings">
          <CsrfField session={session} />
          <div class="field">
            <label for="blindScreening">Blind screening</label>
            <select id="blindScreening" name="blindScreening">
              <option value="on" selected={current.blindScreening}>
                On (recommended)
              </option>
              <option value="off" selected={!current.blindScreening}>
                Off: the model reads candidates’ personal details
              </option>
            </select>
          </div>
          <button type="submit">Save settings</button>
        </form>
      </section>
    </Layout>,
    status,
  );
}

export const adminSettingsPages = new Hono<WebEnv>();

adminSettingsPages.get('/admin/settings', ...guard(), (c) => settingsPage(c, null));

adminSettingsPages.post('/admin/settings', ...guard(), csrfProtection(), async (c) => {
  const body = await c.req.parseBody();
  const choice = text(body.blindScreening);
  try {
    if (choice !== 'on' && choice !== 'off') {
      throw new AppError('bad_request', 'invalid_request', 'Choose whether blind screening is on or off.');
    }
    const settings = await changeOrgSettings(c.var.services, c.var.principal, {
      blindScreening: choice === 'on',
    });
    return settingsPage(
      c,
      { kind: 'ok', text: `Saved: blind screening is ${settings.blindScreening ? 'on' : 'off'}.` },
      200,
      settings,
    );
  } catch (error) {
    return settingsPage(c, shownError(error), 400);
  }
});
