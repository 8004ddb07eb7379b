import { Hono } from 'hono';
import type { User } from '../auth/auth-store';
import type { WebSession } from '../auth/session-store';
import { csrfProtection, requireWebRole, sessionAuth, type WebEnv } from '../auth/web-auth';
import { AppError, isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { isReviewable, ReviewInput } from '../review/review';
import { loadReview, requeueScreening, StaleReviewError, submitReview } from '../review/review-actions';
import type { ReviewRecord } from '../review/review-store';
import { staleRubricOf } from '../review/stale-rubric';
import { currentRubric } from '../rubric/current-rubric';
import { workingStatuses } from '../screening/screening';
import { CompetencyList, FlagList, InterviewPlanView, ProvenanceView, Summary } from './assessment-view';
import { CsrfField, formatDate, Layout, Notice, sendPage } from './layout';
import {
  codeFilesOf,
  loadMaterialView,
  MaterialFacts,
  MaterialPanel,
  RelatedLinks,
  relatedScreenings,
} from './material-view';
import { AuditTrail, initialValues, ReviewForm, type ReviewFormValues, readReviewForm } from './review-form';
import { PastFinals, StaleRubricNotice } from './review-history';
import { RubricRow } from './rubric-label';
import { daysSince, statusLabel, windowDays, windowText } from './words';

const isWorking = (status: string) => (workingStatuses as readonly string[]).includes(status);

interface PageState {
  values?: ReviewFormValues;
  error?: { field: string; message: string } | null;
  notice?: { kind: 'error' | 'ok' | 'warn'; text: string } | null;
}

async function renderScreening(
  services: Services,
  session: WebSession,
  record: ReviewRecord,
  state: PageState = {},
) {
  const { screening, draft, final } = record;
  const [view, related, stale, rubric] = await Promise.all([
    loadMaterialView(services, record),
    relatedScreenings(services, screening),
    staleRubricOf(draft),
    currentRubric(screening.rubricId),
  ]);
  const resumeText = view.kind === 'resume' ? view.text : null;
  const codeFiles = codeFilesOf(view);
  const users = new Map<string, User>(
    (await services.auth.listUsers(session.principal.orgId)).map((u) => [u.id, u]),
  );
  const role = session.principal.role;
  // After a conflict the form stays, with the reviewer's input, even if the other reviewer closed the screening.
  const canReview =
    (role === 'reviewer' || role === 'admin') &&
    draft !== null &&
    (isReviewable(screening.status) || state.values !== undefined);
  const days = daysSince(screening.receivedAt, services.now());
  const working = isWorking(screening.status);
  const name = screening.candidate.name ?? 'Unnamed candidate';
  const values = draft ? (state.values ?? initialValues(draft, final, screening.version)) : null;
  return (
    <Layout title={name} session={session} section="queue" refreshSeconds={working ? 3 : undefined}>
      <h1>{name}</h1>
      {state.notice ? <Notice kind={state.notice.kind}>{state.notice.text}</Notice> : null}
      <div
        class="card"
        data-live-status={working ? `/screenings/${screening.id}/status` : undefined}
        data-status={screening.status}
      >
        <dl class="kv">
          <dt>Status</dt>
          <dd>
            <span class={`badge ${screening.status}`} id="live-status-text">
              {statusLabel(screening.status)}
            </span>
            {working ? <span class="small muted"> This page follows it; no need to reload.</span> : null}
          </dd>
          {screening.statusReason ? (
            <>
              <dt>Reason</dt>
              <dd>{screening.statusReason.message}</dd>
            </>
          ) : null}
          <dt>Position</dt>
          <dd>{screening.candidate.position ?? '—'}</dd>
          <dt>Received</dt>
          <dd>
            {formatDate(screening.receivedAt)} ({windowText(days)}){' '}
            <meter
              min={0}
              max={windowDays}
              low={5}
              high={8}
              optimum={0}
              value={Math.min(days, windowDays)}
              aria-label="Days since the application, against the ten-day window"
            >
              {days}
            </meter>
          </dd>
          <dt>Kind</dt>
          <dd>{screening.kind === 'take-home' ? 'Take-home code review' : 'Resume screening'}</dd>
          <RubricRow screening={screening} rubric={rubric} draft={draft} />
          <dt>Files</dt>
          <dd>
            {record.submissions.map((s) => `${s.filename} (${s.fileKind}, ${s.sizeBytes} bytes)`).join(', ')}
          </dd>
          <dt>Same candidate</dt>
          <dd>
            <RelatedLinks related={related} />
          </dd>
          <dt>Version</dt>
          <dd>{screening.version}</dd>
        </dl>
        {role === 'admin' && (screening.status === 'failed' || screening.status === 'changes_requested') ? (
          <form method="post" action={`/screenings/${screening.id}/requeue`} class="actions">
            <CsrfField session={session} />
            <button type="submit" class="secondary">
              Queue again
            </button>
          </form>
        ) : null}
      </div>
      {draft ? (
        <div class="layout">
          <div>
            <section class="card" aria-labelledby="flags-heading">
              <h2 id="flags-heading">Flags</h2>
              {stale ? <StaleRubricNotice stale={stale} /> : null}
              <FlagList assessment={draft} hasText={resumeText !== null} codeFiles={codeFiles} />
            </section>
            <section class="card" aria-labelledby="summary-heading">
              <h2 id="summary-heading">AI draft</h2>
              <Summary assessment={draft} />
              <InterviewPlanView assessment={draft} />
            </section>
            <section class="card" aria-labelledby="competencies-heading">
              <h2 id="competencies-heading">Competencies</h2>
              <CompetencyList
                assessment={draft}
                final={final}
                textLength={resumeText ? resumeText.text.length : null}
                codeFiles={codeFiles}
                review={canReview && values ? { values, error: state.error ?? null } : undefined}
              />
            </section>
            {canReview && values ? (
              <section class="card" aria-labelledby="review-heading">
                <h2 id="review-heading">Your decision</h2>
                {state.error ? <Notice kind="error">{state.error.message}</Notice> : null}
                <ReviewForm
                  screeningId={screening.id}
                  values={values}
                  session={session}
                  error={state.error ?? null}
                />
              </section>
            ) : final ? (
              <section class="card" aria-labelledby="final-heading">
                <h2 id="final-heading">Human final</h2>
                <p>
                  {statusLabel(screening.status)} by {users.get(final.reviewerId)?.name ?? final.reviewerId}{' '}
                  on {formatDate(final.reviewedAt)}.
                </p>
                {final.notes ? <p>{final.notes}</p> : null}
              </section>
            ) : null}
            <PastFinals finals={record.pastFinals} users={users} />
            <MaterialFacts view={view} />
            <section class="card" aria-labelledby="provenance-heading">
              <h2 id="provenance-heading">Provenance</h2>
              <ProvenanceView assessment={draft} />
            </section>
          </div>
          <div>
            <MaterialPanel view={view} draft={draft} />
          </div>
        </div>
      ) : view.kind === 'take-home' && view.takeHome ? (
        // No draft (still working, or it failed): the code can still be read, and screened by hand.
        <>
          <MaterialPanel view={view} draft={null} />
          <MaterialFacts view={view} />
        </>
      ) : null}
      <section class="card" aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit trail</h2>
        <p class="small muted">
          Received from {screening.source} by {users.get(screening.createdBy)?.name ?? screening.createdBy} on{' '}
          {formatDate(screening.receivedAt)}.
        </p>
        <AuditTrail events={record.events} users={users} />
      </section>
    </Layout>
  );
}

export const screeningPages = new Hono<WebEnv>();

screeningPages.get('/screenings/:id', sessionAuth(), async (c) => {
  const { services, principal, session } = c.var;
  const record = await loadReview(services, principal, c.req.param('id'));
  const done = c.req.query('done');
  const notice = done
    ? { kind: 'ok' as const, text: `Saved: ${statusLabel(record.screening.status)}.` }
    : null;
  return sendPage(c, await renderScreening(services, session, record, { notice }));
});

/** For the page's live status: small, and never waits on the LLM. */
screeningPages.get('/screenings/:id/status', sessionAuth(), async (c) => {
  const { services, principal } = c.var;
  const { screening } = await loadReview(services, principal, c.req.param('id'));
  return c.json({
    status: screening.status,
    label: statusLabel(screening.status),
    version: screening.version,
  });
});

screeningPages.post(
  '/screenings/:id/review',
  sessionAuth(),
  csrfProtection(),
  requireWebRole('reviewer'),
  async (c) => {
    const { services, principal, session } = c.var;
    const id = c.req.param('id');
    const record = await loadReview(services, principal, id);
    if (!record.draft) throw new AppError('conflict', 'no_draft', 'There is no draft to review yet.');
    const { values, input } = readReviewForm(await c.req.parseBody(), record.draft);
    try {
      const parsed = ReviewInput.safeParse(input);
      if (!parsed.success) {
        throw new AppError(
          'bad_request',
          'invalid_request',
          'Choose approve, save, request changes or reject.',
          {
            details: { field: 'decision' },
          },
        );
      }
      await submitReview(services, principal, id, parsed.data);
      return c.redirect(`/screenings/${id}?done=1`, 303);
    } catch (error) {
      if (error instanceof StaleReviewError) {
        // Show what the other reviewer did, keep this reviewer's input, and let them send it against the new version.
        const current = error.current;
        const last = current.events.at(-1);
        const lastBy = last
          ? (await services.auth.getUser(principal.orgId, last.actor.userId))?.name
          : undefined;
        const now = `It is now ${statusLabel(current.screening.status)} (version ${current.screening.version})${
          lastBy ? `, last changed by ${lastBy}` : ''
        }.`;
        return sendPage(
          c,
          await renderScreening(services, session, current, {
            values: { ...values, expectedVersion: current.screening.version },
            notice: { kind: 'warn', text: `${error.message} ${now}` },
          }),
          409,
        );
      }
      if (isAppError(error) && (error.status === 400 || error.code === 'not_reviewable')) {
        const field = typeof error.details?.field === 'string' ? error.details.field : '(form)';
        return sendPage(
          c,
          await renderScreening(services, session, record, {
            values,
            error: { field, message: error.message },
          }),
          error.status,
        );
      }
      throw error;
    }
  },
);

screeningPages.post(
  '/screenings/:id/requeue',
  sessionAuth(),
  csrfProtection(),
  requireWebRole('admin'),
  async (c) => {
    const id = c.req.param('id');
    await requeueScreening(c.var.services, c.var.principal, id);
    return c.redirect(`/screenings/${id}`, 303);
  },
);
