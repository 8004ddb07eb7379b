import type { User } from '../auth/auth-store';
import { describeLevel, type HumanFinal } from '../review/review';
import type { StaleRubric } from '../review/stale-rubric';
import { formatDate, Notice } from './layout';
import { flagTitle, statusLabel } from './words';

/** The draft was made with another version of its rubric than this deployment's (see `stale-rubric.ts`). */
export function StaleRubricNotice(props: { stale: StaleRubric }) {
  return (
    <Notice kind="warn">
      <strong data-flag="stale_rubric">{flagTitle('stale_rubric')}.</strong> {props.stale.message}
    </Notice>
  );
}

/**
 * Finals made against earlier drafts of this screening (set aside when it was re-drafted): shown as history, closed
 * by default, apart from the review of the current draft, which starts from the current draft.
 */
export function PastFinals(props: { finals: HumanFinal[]; users: Map<string, User> }) {
  if (props.finals.length === 0) return null;
  return (
    <section class="card" aria-labelledby="past-finals-heading">
      <h2 id="past-finals-heading">Reviews of earlier drafts</h2>
      <p class="small muted">
        This screening was drafted again since. These reviews were of an earlier draft: they are kept here and
        in the audit trail, and do not carry over to the current draft.
      </p>
      {props.finals.map((final) => (
        <details>
          <summary>
            {final.decision ? statusLabel(final.decision) : 'Saved'} by{' '}
            {props.users.get(final.reviewerId)?.name ?? final.reviewerId} on {formatDate(final.reviewedAt)}
          </summary>
          {final.notes ? <p>{final.notes}</p> : null}
          <ul>
            {final.competencies
              .filter((c) => c.level !== c.draftLevel)
              .map((c) => (
                <li>
                  {c.competencyId}: {describeLevel(c.draftLevel)} → {describeLevel(c.level)}
                  {c.reason ? ` (${c.reason})` : ''}
                </li>
              ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
