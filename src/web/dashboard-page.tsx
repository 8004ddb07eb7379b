import { Hono } from 'hono';
import { sessionAuth, type WebEnv } from '../auth/web-auth';
import { velocity } from '../review/velocity';
import { ScreeningStatus } from '../screening/screening';
import { Layout, sendPage } from './layout';
import { statusLabel, windowDays } from './words';

/** How fast the organisation decides: the last 30 days of decisions from the audit trail, and the waiting queue. */
const periodDays = 30;
const queueSample = 100;

export const dashboardPages = new Hono<WebEnv>();

dashboardPages.get('/dashboard', sessionAuth(), async (c) => {
  const { services, principal, session } = c.var;
  const now = services.now();
  const since = new Date(now.getTime() - periodDays * 86_400_000);
  const [counts, waiting, events, users] = await Promise.all([
    services.reviews.countByStatus(principal.orgId, ScreeningStatus.options),
    services.screenings.listByStatus(principal.orgId, 'drafted', { limit: queueSample }),
    services.reviews.listOrgEventsSince(principal.orgId, since, 5_000),
    services.auth.listUsers(principal.orgId),
  ]);
  const v = velocity(events, waiting.items, now, windowDays);
  const names = new Map(users.map((u) => [u.id, u.name]));
  const days = (d: number | null) => (d === null ? '—' : `${d} days`);
  return sendPage(
    c,
    <Layout title="Velocity" session={session} section="dashboard">
      <h1>Velocity</h1>
      <div class="layout">
        <section class="card" aria-labelledby="decided">
          <h2 id="decided">Decisions in the last {periodDays} days</h2>
          <dl class="kv" id="velocity-decisions">
            <dt>Approved</dt>
            <dd>{v.decisions.approved}</dd>
            <dt>Rejected</dt>
            <dd>{v.decisions.rejected}</dd>
            <dt>Changes requested</dt>
            <dd>{v.decisions.changesRequested}</dd>
            <dt>Application to decision, median</dt>
            <dd>{days(v.daysToDecision.median)}</dd>
            <dt>Application to decision, 90th percentile</dt>
            <dd>{days(v.daysToDecision.p90)}</dd>
            <dt>Decided within {windowDays} days</dt>
            <dd>
              {v.daysToDecision.withinWindow} of {v.daysToDecision.count}
            </dd>
          </dl>
          <h3>By reviewer</h3>
          {v.byReviewer.length === 0 ? (
            <p class="muted">No decisions yet.</p>
          ) : (
            <ul>
              {v.byReviewer.map((r) => (
                <li>
                  {names.get(r.userId) ?? r.userId}: {r.decisions}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="waiting">
          <h2 id="waiting">Waiting for review</h2>
          <dl class="kv" id="velocity-waiting">
            <dt>Ready for review</dt>
            <dd>
              {v.waiting.total}
              {waiting.nextCursor ? ` (the oldest ${queueSample} shown)` : ''}
            </dd>
            <dt>On track (under 7 days)</dt>
            <dd>{v.waiting.onTrack}</dd>
            <dt>Closing (7–{windowDays - 1} days)</dt>
            <dd>{v.waiting.closing}</dd>
            <dt>Past the {windowDays}-day window</dt>
            <dd>{v.waiting.past}</dd>
            <dt>Oldest</dt>
            <dd>{days(v.waiting.oldestDays)}</dd>
          </dl>
          <p>
            <a href="/queue">Open the review queue</a>
          </p>
          <h3>All screenings by status</h3>
          <dl class="kv" id="velocity-status">
            {ScreeningStatus.options.map((s) => (
              <>
                <dt>{statusLabel(s)}</dt>
                <dd>
                  <a href={`/queue?status=${s}`}>{counts[s] ?? 0}</a>
                </dd>
              </>
            ))}
          </dl>
        </section>
      </div>
    </Layout>,
  );
});
