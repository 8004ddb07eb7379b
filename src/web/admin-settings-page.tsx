import type { Context } from 'hono';
import { Hono } from 'hono';
import { changeOrgSettings, readOrgSettingsFor } from '../auth/org-admin';
import type { OrgSettings } from '../auth/org-settings';
import type { WebSession } from '../auth/session-store';
import { csrfProtection, type WebEnv } from '../auth/web-auth';
import { AppError } from '../core/app-error';
import { type CurrentRubric, listRubrics } from '../rubric/current-rubric';
import { guard, type Shown, shownError, text } from './admin-pages';
import { CsrfField, Layout, Notice, sendPage } from './layout';

/**
 * Admin page: the organisation's settings (blind screening, the resume rubric). Changes go to the audit trail, as
 * through the API.
 */
async function settingsPage(c: Context<WebEnv>, shown: Shown, status = 200, settings?: OrgSettings) {
  const { services, principal, session } = c.var;
  const current = settings ?? (await readOrgSettingsFor(services, principal));
  const rubrics = await listRubrics('resume');
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
      <RubricSection
        session={session}
        rubrics={rubrics}
        chosen={current.resumeRubricId}
        deploymentDefault={services.config.rubricId}
      />
    </Layout>,
    status,
  );
}

function RubricSection(props: {
  session: WebSession;
  rubrics: CurrentRubric[];
  chosen: string | null;
  deploymentDefault: string;
}) {
  const { rubrics, chosen } = props;
  const titleOf = (id: string) => rubrics.find((r) => r.id === id)?.title ?? id;
  const gone = chosen !== null && !rubrics.some((r) => r.id === chosen);
  return (
    <section class="card" aria-labelledby="rubric-heading">
      <h2 id="rubric-heading">Resume rubric</h2>
      <p>
        Resumes are drafted with{' '}
        <strong id="rubric-state">
          {chosen === null || gone ? `${titleOf(props.deploymentDefault)} (the default)` : titleOf(chosen)}
        </strong>
        .
      </p>
      {gone ? (
        <Notice kind="warn">
          The rubric chosen before ({chosen}) is no longer in this deployment; resumes get the default until
          you choose another.
        </Notice>
      ) : null}
      <p class="muted small">
        What a resume is judged against when the recruiter does not choose another on the upload form, and for
        resumes from integrations and the CLI. Applies to resumes received after the change; each screening
        keeps the rubric it was received with. Recorded in the audit trail.
      </p>
      <form method="post" action="/admin/settings">
        <CsrfField session={props.session} />
        <div class="field">
          <label for="resumeRubricId">Resume rubric</label>
          <select id="resumeRubricId" name="resumeRubricId" aria-describedby="resumeRubricId-hint">
            <option value="" selected={chosen === null || gone}>
              The deployment’s default: {titleOf(props.deploymentDefault)}
            </option>
            {rubrics.map((r) => (
              <option value={r.id} selected={r.id === chosen}>
                {r.title} (version {r.version})
              </option>
            ))}
          </select>
          <p class="hint" id="resumeRubricId-hint">
            Rubrics are versioned files deployed with Vetline; ask your engineers to add one for another role.
          </p>
        </div>
        <button type="submit">Save rubric</button>
      </form>
    </section>
  );
}

export const adminSettingsPages = new Hono<WebEnv>();

adminSettingsPages.get('/admin/settings', ...guard(), (c) => settingsPage(c, null));

adminSettingsPages.post('/admin/settings', ...guard(), csrfProtection(), async (c) => {
  const body = await c.req.parseBody();
  try {
    // Each section posts its own form: the rubric form carries `resumeRubricId` ('' for the default), the other not.
    if (typeof body.resumeRubricId === 'string') {
      const id = body.resumeRubricId;
      const settings = await changeOrgSettings(c.var.services, c.var.principal, {
        resumeRubricId: id === '' ? null : id,
      });
      const title = (await listRubrics('resume')).find((r) => r.id === settings.resumeRubricId)?.title;
      const saved = title
        ? `resumes are drafted with ${title}`
        : 'resumes are drafted with the default rubric';
      return settingsPage(c, { kind: 'ok', text: `Saved: ${saved}.` }, 200, settings);
    }
    const choice = text(body.blindScreening);
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
