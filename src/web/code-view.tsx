import type { AssessedCompetency, Flag } from '../assessment/assessment';
import type { SelectedFile } from '../takehome/select-files';
import { competencyAnchor, flagAnchor, quoteId } from './resume-view';
import { flagTitle } from './words';

/**
 * A take-home's files as the reviewer reads them: each file the drafter could read, with line numbers, every
 * evidence quote highlighted on its lines and linked back to its competency (the competency links here), and the
 * lines a flag points at (an injection attempt, say) marked. Files with something marked come first and open; the
 * rest follow closed, up to a page budget. All of it is text nodes: markup in the code stays text.
 */
interface LineMark {
  /** Anchor id: `q-<competency>-<evidence>` or `f-<flag>`. */
  id: string;
  kind: 'evidence' | 'flag';
  label: string;
  lineStart: number;
  lineEnd: number;
  competencyId: string | null;
  competencyNumber: number | null;
}

/** Lines rendered on one page at most; files with marks are always rendered. */
export const MAX_RENDERED_LINES = 20_000;

export const fileAnchor = (index: number) => `file-${index}`;
export const lineAnchor = (fileIndex: number, line: number) => `file-${fileIndex}-L${line}`;

/** The marks of every file, by path. */
export function collectMarks(competencies: AssessedCompetency[], flags: Flag[]): Map<string, LineMark[]> {
  const marks = new Map<string, LineMark[]>();
  const add = (file: string, mark: LineMark) => {
    if (mark.lineEnd < mark.lineStart) return;
    marks.set(file, [...(marks.get(file) ?? []), mark]);
  };
  competencies.forEach((c, ci) => {
    c.evidence.forEach((e, ei) => {
      if (e.source !== 'take-home' || !e.file || e.lineStart === null) return;
      add(e.file, {
        id: quoteId(ci, ei),
        kind: 'evidence',
        label: `Evidence for ${c.name}`,
        lineStart: e.lineStart,
        lineEnd: e.lineEnd ?? e.lineStart,
        competencyId: c.competencyId,
        competencyNumber: ci + 1,
      });
    });
  });
  flags.forEach((f, fi) => {
    if (!f.location) return;
    add(f.location.file, {
      id: flagAnchor(fi),
      kind: 'flag',
      label: `Flag: ${flagTitle(f.code)}`,
      lineStart: f.location.lineStart,
      lineEnd: f.location.lineEnd,
      competencyId: null,
      competencyNumber: null,
    });
  });
  return marks;
}

export interface PlannedFile {
  file: SelectedFile;
  /** Its index among the files read: the anchor of the file and of its lines. */
  index: number;
  marks: LineMark[];
  rendered: boolean;
}

/** Files with marks first (those are always rendered), then the others in path order while the budget lasts. */
export function planFiles(files: readonly SelectedFile[], marks: Map<string, LineMark[]>): PlannedFile[] {
  const planned = files.map((file, index) => ({
    file,
    index,
    marks: marks.get(file.path) ?? [],
    rendered: false,
  }));
  planned.sort(
    (a, b) =>
      Number(b.marks.length > 0) - Number(a.marks.length > 0) || a.file.path.localeCompare(b.file.path),
  );
  let budget = MAX_RENDERED_LINES;
  for (const p of planned) {
    if (p.marks.length > 0 || p.file.lines <= budget) {
      p.rendered = true;
      budget -= p.file.lines;
    }
  }
  return planned;
}

function CodeLine(props: { text: string; n: number; fileIndex: number; marks: LineMark[] }) {
  const { n, marks } = props;
  const covering = marks.filter((m) => m.lineStart <= n && n <= m.lineEnd);
  if (covering.length === 0) return <li id={lineAnchor(props.fileIndex, n)}>{props.text}</li>;
  const [first, ...more] = covering.filter((m) => m.lineStart === n);
  return (
    <li id={lineAnchor(props.fileIndex, n)} class="hl">
      {more.map((m) => (
        <span id={m.id} />
      ))}
      {covering
        .filter((m) => m.lineStart === n && m.competencyId !== null)
        .map((m) => (
          <sup class="ref">
            <a href={`#${competencyAnchor(m.competencyId as string)}`} aria-label={m.label}>
              [{m.competencyNumber}]
            </a>
          </sup>
        ))}
      <mark
        id={first?.id}
        class={covering.some((m) => m.kind === 'flag') ? 'flagged' : undefined}
        data-quote={covering.map((m) => m.id).join(' ')}
        title={[...new Set(covering.map((m) => m.label))].join('; ')}
      >
        {props.text}
      </mark>
    </li>
  );
}

export function CodeFiles(props: { planned: PlannedFile[] }) {
  const rendered = props.planned.filter((p) => p.rendered);
  const left = props.planned.filter((p) => !p.rendered);
  return (
    <div id="take-home-code">
      {rendered.map(({ file, index, marks }) => {
        const evidence = new Set(marks.filter((m) => m.kind === 'evidence').map((m) => m.id)).size;
        const flagged = marks.some((m) => m.kind === 'flag');
        return (
          <details class="code-file" id={fileAnchor(index)} open={marks.length > 0}>
            <summary>
              <code>{file.path}</code>{' '}
              <span class="small muted">
                {file.role}, {file.lines} lines
              </span>
              {evidence > 0 ? <span class="badge">{evidence} evidence</span> : null}
              {flagged ? <span class="badge critical">flagged</span> : null}
            </summary>
            <ol class="code" aria-label={`${file.path}, with line numbers`}>
              {file.content.split('\n').map((text, i) => (
                <CodeLine text={text} n={i + 1} fileIndex={index} marks={marks} />
              ))}
            </ol>
          </details>
        );
      })}
      {left.length > 0 ? (
        <p class="small muted">
          Not shown on this page (over {MAX_RENDERED_LINES} lines, nothing marked in them):{' '}
          {left.map((p) => `${p.file.path} (${p.file.lines} lines)`).join(', ')}.
        </p>
      ) : null}
    </div>
  );
}
