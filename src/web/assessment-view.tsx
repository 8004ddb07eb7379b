import type { AssessedCompetency, Assessment, Evidence } from '../assessment/assessment';
import type { HumanFinal } from '../review/review';
import { describeLevel } from '../review/review';
import { competencyAnchor, flagAnchor, quoteId } from './resume-view';
import { type FieldError, LevelControls, type ReviewFormValues } from './review-form';
import { flagTitle } from './words';

/**
 * The AI draft, rendered generically enough that fields added to the schema later (provenance, flag details) still
 * show: provenance is printed key by key, flags with every field they carry.
 */

const lineRange = (start: number | null, end: number | null): string =>
  start === null ? '' : `:${start}${end !== null && end !== start ? `-${end}` : ''}`;

export function FlagList(props: {
  assessment: Assessment;
  hasText: boolean;
  /** A take-home's files shown on the page: flags at their lines link there. */
  codeFiles?: ReadonlySet<string> | undefined;
}) {
  const { flags, competencies } = props.assessment;
  if (flags.length === 0) return <p class="muted">No flags.</p>;
  const names = new Map(competencies.map((c) => [c.competencyId, c.name]));
  return (
    <ul id="flags">
      {flags.map((f, i) => (
        <li>
          <span class={`badge ${f.severity}`}>{f.severity}</span> <strong>{flagTitle(f.code)}</strong>{' '}
          <code class="small">{f.code}</code>
          <div>{f.message}</div>
          {f.competencyId ? (
            <div class="small">
              Competency:{' '}
              <a href={`#${competencyAnchor(f.competencyId)}`}>
                {names.get(f.competencyId) ?? f.competencyId}
              </a>
            </div>
          ) : null}
          {f.span ? (
            <div class="small">
              {props.hasText ? (
                <a href={`#${flagAnchor(i)}`} data-quote={flagAnchor(i)}>
                  Where in the resume (characters {f.span.start}–{f.span.end})
                </a>
              ) : (
                `Characters ${f.span.start}–${f.span.end} of the resume`
              )}
            </div>
          ) : null}
          {f.location ? (
            <div class="small">
              {props.codeFiles?.has(f.location.file) ? (
                <a href={`#${flagAnchor(i)}`} data-quote={flagAnchor(i)}>
                  Where in the code:{' '}
                  <code>{`${f.location.file}${lineRange(f.location.lineStart, f.location.lineEnd)}`}</code>
                </a>
              ) : (
                <code>{`${f.location.file}${lineRange(f.location.lineStart, f.location.lineEnd)}`}</code>
              )}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function EvidenceItem(props: { evidence: Evidence; id: string; located: boolean }) {
  const e = props.evidence;
  if (e.source === 'take-home') {
    const where = <code>{`${e.file ?? 'take-home'}${lineRange(e.lineStart, e.lineEnd)}`}</code>;
    return (
      <li>
        {props.located ? (
          <a href={`#${props.id}`} data-quote={props.id}>
            {where}
            <blockquote class="code-quote">{e.quote}</blockquote>
          </a>
        ) : (
          <>
            {where}
            <blockquote class="code-quote">{e.quote}</blockquote>
          </>
        )}
      </li>
    );
  }
  return (
    <li>
      {props.located ? (
        <a href={`#${props.id}`} data-quote={props.id}>
          <blockquote>{e.quote}</blockquote>
        </a>
      ) : (
        <blockquote>{e.quote}</blockquote>
      )}
    </li>
  );
}

export function CompetencyList(props: {
  assessment: Assessment;
  final: HumanFinal | null;
  textLength: number | null;
  /** A take-home's files shown on the page: evidence in them links to its lines. */
  codeFiles?: ReadonlySet<string> | undefined;
  /** When the viewer may review: the form's current values and the error to show. */
  review?: { values: ReviewFormValues; error: FieldError } | undefined;
}) {
  const finals = new Map((props.final?.competencies ?? []).map((c) => [c.competencyId, c]));
  return (
    <div>
      {props.assessment.competencies.map((c: AssessedCompetency, ci) => {
        const human = finals.get(c.competencyId);
        return (
          <section
            class="competency"
            id={competencyAnchor(c.competencyId)}
            aria-labelledby={`h-${c.competencyId}`}
          >
            <h3 id={`h-${c.competencyId}`}>
              [{ci + 1}] {c.name}
            </h3>
            <div class="levels">
              <span>
                AI draft: <strong>{describeLevel(c.level)}</strong>
              </span>
              <span>confidence {Math.round(c.confidence * 100)}%</span>
              {c.spread !== null ? <span>spread across samples: {c.spread}</span> : null}
              {human ? (
                <span>
                  Human final: <strong>{describeLevel(human.level)}</strong>
                </span>
              ) : null}
            </div>
            {human?.reason ? <p class="small">Reviewer’s reason: {human.reason}</p> : null}
            {props.review ? (
              <LevelControls
                competencyId={c.competencyId}
                values={props.review.values}
                error={props.review.error}
              />
            ) : null}
            <p>{c.rationale}</p>
            {c.evidence.length > 0 ? (
              <ul class="evidence" aria-label={`Evidence for ${c.name}`}>
                {c.evidence.map((e, ei) => (
                  <EvidenceItem
                    evidence={e}
                    id={quoteId(ci, ei)}
                    located={
                      e.source === 'take-home'
                        ? e.file !== null && (props.codeFiles?.has(e.file) ?? false)
                        : props.textLength !== null &&
                          e.start !== null &&
                          e.end !== null &&
                          e.end <= props.textLength
                    }
                  />
                ))}
              </ul>
            ) : (
              <p class="small muted">No verified evidence.</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

export function Summary(props: { assessment: Assessment }) {
  const a = props.assessment;
  return (
    <div>
      <p>{a.summary}</p>
      <dl class="kv">
        <dt>Recommendation (advisory)</dt>
        <dd>{a.recommendation}</dd>
        <dt>Estimated seniority</dt>
        <dd>{a.estimatedSeniority ?? 'not estimated'}</dd>
      </dl>
      {a.strengths.length > 0 ? (
        <>
          <h3>Strengths</h3>
          <ul>
            {a.strengths.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
      {a.concerns.length > 0 ? (
        <>
          <h3>Concerns</h3>
          <ul>
            {a.concerns.map((s) => (
              <li>{s}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function InterviewPlanView(props: { assessment: Assessment }) {
  const plan = props.assessment.interviewPlan;
  return (
    <details>
      <summary>Interview plan</summary>
      <h3>Technical screen</h3>
      <ol>
        {plan.technicalScreen.map((q) => (
          <li>
            {q.question} <span class="small muted">({q.competencyId})</span>
            <div class="small">Look for: {q.lookFor}</div>
          </li>
        ))}
      </ol>
      <h3>System design</h3>
      <p>{plan.systemDesign.prompt}</p>
      {plan.systemDesign.focus.length > 0 ? (
        <p class="small">Focus: {plan.systemDesign.focus.join(', ')}</p>
      ) : null}
      {plan.cultureFocus.length > 0 ? (
        <>
          <h3>Culture alignment</h3>
          <ul>
            {plan.cultureFocus.map((f) => (
              <li>{f}</li>
            ))}
          </ul>
        </>
      ) : null}
    </details>
  );
}

/** Flattens nested provenance (`usage.promptTokens`) so every field, including ones added later, is listed. */
export function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || value === undefined) return [[prefix, '—']];
  if (Array.isArray(value))
    return [[prefix, value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')]];
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      flatten(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [[prefix, String(value)]];
}

export function ProvenanceView(props: { assessment: Assessment }) {
  const p = props.assessment.provenance;
  return (
    <dl class="kv" id="provenance">
      {flatten(p).map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{k === 'costUsd' && v !== '—' ? `$${v}` : v}</dd>
        </>
      ))}
    </dl>
  );
}
