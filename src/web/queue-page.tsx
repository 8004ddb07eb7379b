import { Hono } from 'hono';
import { z } from 'zod';
import { requireWebRole, sessionAuth, type WebEnv } from '../auth/web-auth';
import { currentRubric } from '../rubric/current-rubric';
import { type Screening, ScreeningStatus } from '../screening/screening';
import { Layout, sendPage } from './layout';
import { rubricTitles } from './rubric-label';
import { daysSince, flagTitle, knownFlagCodes, statusLabel, windowDays, windowText } from './words';

const QueueQuery = z.object({
  status: ScreeningStatus.catch('drafted'),
  flag: z
    .string()
    .regex(/^[a-z_]{1,40}$/)
    .optional()
    .catch(undefined),
  cursor: z.string().max(2048).optional(),
});

const pageSize = 20;

/** Ids of the screenings whose saved draft pins another rubric file than this deployment's (`stale_rubric`). */
async function staleIds(items: Screening[]): Promise<Set<string>> {
  const ids = [...new Set(items.filter((s) => s.rubricHash).map((s) => s.rubricId))];
  const current = new Map(await Promise.all(ids.map(async (id) => [id, await currentRubric(id)] as const)));
  return new Set(
    items.filter((s) => s.rubricHash && current.get(s.rubricId)?.hash !== s.rubricHash).map((s) => s.id),
  );
}

function QueueTable(props: {
  items: Screening[];
  now: Date;
  stale: Set<string>;
  rubrics: Map<string, string>;
}) {
  if (props.items.length === 0) return <p class="muted">Nothing here.</p>;
  return (
    <div class="table-wrap">
      <table class="queue">
        <caption class="muted small">
          Oldest first. The bar is the time since the application against the {windowDays}-day window.
        </caption>
        <thead>
          <tr>
            <th scope="col">Candidate</th>
            <th scope="col">Position</th>
            <th scope="col">Received</th>
            <th scope="col">Window</th>
            <th scope="col">Flags</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((s) => {
            const days = daysSince(s.receivedAt, props.now);
            return (
              <tr>
                <td>
                  <a href={`/screenings/${s.id}`}>{s.candidate.name ?? 'Unnamed candidate'}</a>
                  {s.kind === 'take-home' ? <span class="small muted"> take-home</span> : null}
                  <br />
                  <span class="small muted" data-rubric-id={s.rubricId}>
                    {props.rubrics.get(s.rubricId) ?? s.rubricId}
                  </span>
                </td>
                <td data-label="Position">{s.candidate.position ?? '—'}</td>
                <td data-label="Received">{s.receivedAt.slice(0, 10)}</td>
                <td data-label="Window">
                  <meter
                    min={0}
                    max={windowDays}
                    low={5}
                    high={8}
                    optimum={0}
                    value={Math.min(days, windowDays)}
                  >
                    {days}
                  </meter>{' '}
                  <span class="small">{windowText(days)}</span>
                </td>
                <td data-label="Flags">
                  {(s.flagCodes ?? []).map((code) => (
                    <span class="badge" title={code}>
                      {flagTitle(code)}
                    </span>
                  ))}
                  {props.stale.has(s.id) ? (
                    <span class="badge" title="stale_rubric" data-flag="stale_rubric">
                      {flagTitle('stale_rubric')}
                    </span>
                  ) : null}
                </td>
                <td data-label="Status">
                  <span class={`badge ${s.status}`}>{statusLabel(s.status)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const queuePages = new Hono<WebEnv>();

queuePages.get('/', sessionAuth(), (c) =>
  c.redirect(c.var.principal.role === 'recruiter' ? '/queue?status=queued' : '/queue', 303),
);

/** Reviewers work it; recruiters follow their organisation's candidates through it. Read from the status index. */
queuePages.get('/queue', sessionAuth(), requireWebRole('recruiter', 'reviewer'), async (c) => {
  const { services, principal, session } = c.var;
  const query = QueueQuery.parse(c.req.query());
  const page = await services.screenings.listByStatus(principal.orgId, query.status, {
    limit: pageSize,
    cursor: query.cursor,
    flag: query.flag,
  });
  const params = (cursor?: string) => {
    const p = new URLSearchParams({ status: query.status });
    if (query.flag) p.set('flag', query.flag);
    if (cursor) p.set('cursor', cursor);
    return `/queue?${p.toString()}`;
  };
  return sendPage(
    c,
    <Layout title="Screenings" session={session} section="queue">
      <h1>{query.status === 'drafted' ? 'Review queue' : `Screenings: ${statusLabel(query.status)}`}</h1>
      <form class="filters" method="get" action="/queue">
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            {ScreeningStatus.options.map((s) => (
              <option value={s} selected={s === query.status}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="flag">Flag</label>
          <select id="flag" name="flag">
            <option value="">Any</option>
            {knownFlagCodes.map((code) => (
              <option value={code} selected={code === query.flag}>
                {flagTitle(code)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <QueueTable
        items={page.items}
        now={services.now()}
        stale={await staleIds(page.items)}
        rubrics={await rubricTitles()}
      />
      <nav class="pager" aria-label="Pages">
        {query.cursor ? <a href={params()}>First page</a> : null}
        {page.nextCursor ? <a href={params(page.nextCursor)}>Next page</a> : null}
      </nav>
    </Layout>,
  );
});
