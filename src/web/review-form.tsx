import type { Assessment } from '../assessment/assessment';
import type { User } from '../auth/auth-store';
import type { WebSession } from '../auth/session-store';
import { type AuditEvent, actionLabels } from '../review/audit-event';
import { type HumanFinal, levelLabels, type ReviewInput } from '../review/review';
import { CsrfField, formatDate } from './layout';

/** What the reviewer typed: kept as text so a refused or conflicting submission shows it back exactly. */
export interface ReviewFormValues {
  expectedVersion: number;
  levels: Record<string, string>;
  reasons: Record<string, string>;
  notes: string;
}

export const levelValue = (level: number | null): string => (level === null ? 'null' : String(level));

export function initialValues(
  draft: Assessment,
  final: HumanFinal | null,
  version: number,
): ReviewFormValues {
  const finals = new Map((final?.competencies ?? []).map((c) => [c.competencyId, c]));
  const levels: Record<string, string> = {};
  const reasons: Record<string, string> = {};
  for (const c of draft.competencies) {
    const f = finals.get(c.competencyId);
    levels[c.competencyId] = levelValue(f ? f.level : c.level);
    reasons[c.competencyId] = f?.reason ?? '';
  }
  return { expectedVersion: version, levels, reasons, notes: final?.notes ?? '' };
}

/** Reads the form body; anything unexpected becomes a value the domain check refuses with a clear message. */
export function readReviewForm(
  body: Record<string, unknown>,
  draft: Assessment,
): { values: ReviewFormValues; input: Omit<ReviewInput, 'decision'> & { decision: string } } {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const values: ReviewFormValues = {
    expectedVersion: Number.parseInt(text(body.expectedVersion), 10) || 0,
    levels: {},
    reasons: {},
    notes: text(body.notes),
  };
  const levels: ReviewInput['levels'] = [];
  for (const c of draft.competencies) {
    const raw = text(body[`level.${c.competencyId}`]);
    const reason = text(body[`reason.${c.competencyId}`]);
    values.levels[c.competencyId] = raw;
    values.reasons[c.competencyId] = reason;
    const level = raw === 'null' ? null : /^[0-4]$/.test(raw) ? Number(raw) : c.level;
    levels.push({ competencyId: c.competencyId, level, reason: reason.trim() === '' ? null : reason.trim() });
  }
  return {
    values,
    input: {
      expectedVersion: values.expectedVersion,
      decision: text(body.decision),
      levels,
      notes: values.notes.trim(),
    },
  };
}

export type FieldError = { field: string; message: string } | null;

/**
 * The level and reason of one competency. They sit in the competency's section, beside its evidence, and belong to
 * the review form through the `form` attribute, so one submission carries every level with the notes and decision.
 */
export function LevelControls(props: { competencyId: string; values: ReviewFormValues; error: FieldError }) {
  const id = props.competencyId;
  const reasonError = props.error?.field === `levels.${id}.reason` ? props.error.message : null;
  return (
    <div class={`review-controls field ${reasonError ? 'invalid' : ''}`}>
      <div>
        <label for={`level-${id}`}>Your level</label>
        <select id={`level-${id}`} name={`level.${id}`} form="review-form">
          <option value="null" selected={props.values.levels[id] === 'null'}>
            Insufficient evidence
          </option>
          {levelLabels.map((label, n) => (
            <option value={String(n)} selected={props.values.levels[id] === String(n)}>
              {n} ({label})
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`reason-${id}`}>Reason for a changed level</label>
        <textarea
          id={`reason-${id}`}
          name={`reason.${id}`}
          form="review-form"
          rows={2}
          aria-describedby={reasonError ? `reason-${id}-error` : `reason-${id}-hint`}
          aria-invalid={reasonError ? 'true' : undefined}
        >
          {props.values.reasons[id] ?? ''}
        </textarea>
        {reasonError ? (
          <p class="error-text" id={`reason-${id}-error`}>
            {reasonError}
          </p>
        ) : (
          <p class="hint" id={`reason-${id}-hint`}>
            Needed when your level differs from the AI draft.
          </p>
        )}
      </div>
    </div>
  );
}

/** The notes and the decision; the levels join it from the competency sections. */
export function ReviewForm(props: {
  screeningId: string;
  values: ReviewFormValues;
  session: WebSession;
  error: FieldError;
}) {
  const { values, error } = props;
  const notesError = error?.field === 'notes' ? error.message : null;
  return (
    <form method="post" action={`/screenings/${props.screeningId}/review`} id="review-form" novalidate>
      <CsrfField session={props.session} />
      <input type="hidden" name="expectedVersion" value={String(values.expectedVersion)} />
      <div class={`field ${notesError ? 'invalid' : ''}`}>
        <label for="notes">Notes</label>
        <textarea
          id="notes"
          name="notes"
          aria-describedby="notes-hint"
          aria-invalid={notesError ? 'true' : undefined}
        >
          {values.notes}
        </textarea>
        <p class={notesError ? 'error-text' : 'hint'} id="notes-hint">
          {notesError ?? 'Needed to reject (why) or to request changes (what is needed).'}
        </p>
      </div>
      <div class="actions">
        <button type="submit" name="decision" value="approve">
          Approve
        </button>
        <button type="submit" name="decision" value="save" class="secondary">
          Save without deciding
        </button>
        <button type="submit" name="decision" value="request_changes" class="warn">
          Request changes
        </button>
        <button type="submit" name="decision" value="reject" class="danger">
          Reject
        </button>
      </div>
    </form>
  );
}

export function AuditTrail(props: { events: AuditEvent[]; users: Map<string, User>; target?: boolean }) {
  if (props.events.length === 0) return <p class="muted">No decisions yet.</p>;
  return (
    <ol class="events" id="audit-trail">
      {props.events.map((e) => {
        const who = props.users.get(e.actor.userId);
        return (
          <li>
            <strong>{who ? who.name : e.actor.userId}</strong> ({e.actor.role}, {e.actor.via}){' '}
            {actionLabels[e.action]}
            {props.target ? <EventTarget event={e} users={props.users} /> : null}{' '}
            <span class="muted small">{formatDate(e.at)}</span>
            <details>
              <summary class="small">Before and after</summary>
              <pre class="change">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

function EventTarget(props: { event: AuditEvent; users: Map<string, User> }) {
  const { type, id } = props.event.target;
  if (type === 'screening') {
    return (
      <>
        {' '}
        on <a href={`/screenings/${id}`}>screening {id}</a>
      </>
    );
  }
  if (type === 'org') return null;
  return <>{type === 'user' ? ` for ${props.users.get(id)?.name ?? id}` : ` (${id})`}</>;
}
