import type { AssessedCompetency, Flag } from '../assessment/assessment';
import type { StoredText } from '../screening/screening';
import { flagTitle, hiddenReason } from './words';

/**
 * The resume's extracted text with every located evidence quote highlighted and linked to its competency, and every
 * flag that points at a span (an injection attempt, say) marked. Spans may overlap: the text is cut at every span
 * boundary and each piece is marked with all the spans that cover it. All of it is text nodes: nothing is markup.
 */
interface Span {
  start: number;
  end: number;
  /** Anchor id: `q-<competency>-<evidence>` or `f-<flag>`. */
  id: string;
  kind: 'evidence' | 'flag';
  label: string;
  competencyId: string | null;
  competencyNumber: number | null;
}

export const quoteId = (competencyIndex: number, evidenceIndex: number) =>
  `q-${competencyIndex}-${evidenceIndex}`;
export const flagAnchor = (flagIndex: number) => `f-${flagIndex}`;
export const competencyAnchor = (competencyId: string) => `c-${competencyId}`;

export function collectSpans(text: string, competencies: AssessedCompetency[], flags: Flag[]): Span[] {
  const spans: Span[] = [];
  const valid = (start: number | null, end: number | null): boolean =>
    start !== null && end !== null && start >= 0 && start < end && end <= text.length;
  competencies.forEach((c, ci) => {
    c.evidence.forEach((e, ei) => {
      if (e.source !== 'resume' || !valid(e.start, e.end)) return;
      spans.push({
        start: e.start as number,
        end: e.end as number,
        id: quoteId(ci, ei),
        kind: 'evidence',
        label: `Evidence for ${c.name}`,
        competencyId: c.competencyId,
        competencyNumber: ci + 1,
      });
    });
  });
  flags.forEach((f, fi) => {
    if (!f.span || !valid(f.span.start, f.span.end)) return;
    spans.push({
      start: f.span.start,
      end: f.span.end,
      id: flagAnchor(fi),
      kind: 'flag',
      label: `Flag: ${flagTitle(f.code)}`,
      competencyId: null,
      competencyNumber: null,
    });
  });
  return spans;
}

interface Piece {
  text: string;
  covering: Span[];
  /** Spans that start with this piece (their anchor ids go here) and that end with it (their references). */
  starting: Span[];
  ending: Span[];
}

export function cutText(text: string, spans: Span[]): Piece[] {
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const pieces: Piece[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const a = cuts[i] as number;
    const b = cuts[i + 1] as number;
    if (a === b) continue;
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    pieces.push({
      text: text.slice(a, b),
      covering,
      starting: covering.filter((s) => s.start === a),
      ending: covering.filter((s) => s.end === b),
    });
  }
  return pieces;
}

export function ResumeText(props: { stored: StoredText; competencies: AssessedCompetency[]; flags: Flag[] }) {
  const { text } = props.stored;
  const pieces = cutText(text, collectSpans(text, props.competencies, props.flags));
  return (
    <div class="resume" id="resume-text">
      {pieces.map((piece) => {
        if (piece.covering.length === 0) return piece.text;
        const [first, ...more] = piece.starting;
        return (
          <>
            {more.map((s) => (
              <span id={s.id} />
            ))}
            <mark
              id={first?.id}
              class={piece.covering.some((s) => s.kind === 'flag') ? 'flagged' : undefined}
              data-quote={piece.covering.map((s) => s.id).join(' ')}
              title={[...new Set(piece.covering.map((s) => s.label))].join('; ')}
            >
              {piece.text}
            </mark>
            {piece.ending
              .filter((s) => s.competencyId !== null)
              .map((s) => (
                <sup class="ref">
                  <a href={`#${competencyAnchor(s.competencyId as string)}`} aria-label={s.label}>
                    [{s.competencyNumber}]
                  </a>
                </sup>
              ))}
          </>
        );
      })}
    </div>
  );
}

export function HiddenText(props: { stored: StoredText }) {
  if (props.stored.hidden.length === 0) return null;
  return (
    <section aria-labelledby="hidden-heading" class="card">
      <h2 id="hidden-heading">Hidden text in the file</h2>
      <p class="small muted">
        A person reading the file would not see this text. It was kept out of what the AI read, and is shown
        here as found.
      </p>
      <ul>
        {props.stored.hidden.map((h) => (
          <li>
            <span class="badge warning">{hiddenReason(h.reason)}</span>
            {h.page ? <span class="small muted">page {h.page} </span> : null}
            <blockquote>{h.text}</blockquote>
          </li>
        ))}
      </ul>
    </section>
  );
}
