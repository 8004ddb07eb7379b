import type { Assessment } from '../assessment/assessment';
import type { Services } from '../core/services';
import type { ReviewRecord } from '../review/review-store';
import { type Screening, StoredText } from '../screening/screening';
import { decodeTakeHome, type StoredTakeHome } from '../takehome/take-home';
import { CodeFiles, collectMarks, type PlannedFile, planFiles } from './code-view';
import { HiddenText, ResumeText } from './resume-view';
import { FilesRead, SkippedFiles, StaticSignals } from './take-home-facts';
import { statusLabel } from './words';

/**
 * The candidate's material beside the draft: a resume's text, or a take-home's files, skipped entries and static
 * signals; and the candidate's other screenings. A damaged or missing blob costs the highlighting, not the page.
 */
export type MaterialView =
  | { kind: 'resume'; text: StoredText | null }
  | { kind: 'take-home'; takeHome: StoredTakeHome | null; planned: PlannedFile[] };

async function readBlob<T>(
  services: Services,
  key: string | null | undefined,
  parse: (bytes: Uint8Array) => T,
): Promise<T | null> {
  const blob = key ? await services.blobs.get(key) : null;
  if (!blob) return null;
  try {
    return parse(blob.bytes);
  } catch {
    return null;
  }
}

export async function loadMaterialView(services: Services, record: ReviewRecord): Promise<MaterialView> {
  const { screening, submissions, draft } = record;
  if (screening.kind === 'take-home') {
    const key = submissions.find((s) => s.kind === 'take-home')?.textKey;
    const takeHome = await readBlob(services, key, decodeTakeHome);
    const marks = collectMarks(draft?.competencies ?? [], draft?.flags ?? []);
    return { kind: 'take-home', takeHome, planned: takeHome ? planFiles(takeHome.files, marks) : [] };
  }
  const key = submissions.find((s) => s.kind === 'resume')?.textKey;
  const text = await readBlob(services, key, (bytes) =>
    StoredText.parse(JSON.parse(new TextDecoder().decode(bytes))),
  );
  return { kind: 'resume', text };
}

/** The take-home files shown on the page (evidence and flags in them link to their lines). */
export const codeFilesOf = (view: MaterialView): ReadonlySet<string> | undefined =>
  view.kind === 'take-home'
    ? new Set(view.planned.filter((p) => p.rendered).map((p) => p.file.path))
    : undefined;

export function MaterialPanel(props: { view: MaterialView; draft: Assessment | null }) {
  const { view, draft } = props;
  if (view.kind === 'resume') {
    return (
      <>
        <section class="card sticky" aria-labelledby="resume-heading">
          <h2 id="resume-heading">Resume text</h2>
          {view.text && draft ? (
            <ResumeText stored={view.text} competencies={draft.competencies} flags={draft.flags} />
          ) : (
            <p class="muted">The extracted text is not available.</p>
          )}
        </section>
        {view.text ? <HiddenText stored={view.text} /> : null}
      </>
    );
  }
  if (!view.takeHome) {
    return (
      <section class="card" aria-labelledby="code-heading">
        <h2 id="code-heading">Take-home code</h2>
        <p class="muted">The archive was not read; the status reason says why.</p>
      </section>
    );
  }
  return (
    <section class="card sticky" aria-labelledby="code-heading">
      <h2 id="code-heading">Take-home code</h2>
      <FilesRead stored={view.takeHome} planned={view.planned} />
      <CodeFiles planned={view.planned} />
    </section>
  );
}

/** A take-home's static signals and skipped files: beside the draft, not in the sticky code panel. */
export function MaterialFacts(props: { view: MaterialView }) {
  const { view } = props;
  if (view.kind !== 'take-home' || !view.takeHome) return null;
  return (
    <>
      <section class="card" aria-labelledby="signals-heading">
        <h2 id="signals-heading">Static signals</h2>
        <p class="small muted">Measured from the files without running them; not written by the candidate.</p>
        <StaticSignals report={view.takeHome.signals} planned={view.planned} />
      </section>
      <section class="card" aria-labelledby="skipped-heading">
        <h2 id="skipped-heading">Skipped files</h2>
        <SkippedFiles skipped={view.takeHome.skipped} />
      </section>
    </>
  );
}

export interface RelatedScreening {
  id: string;
  kind: Screening['kind'];
  status: Screening['status'];
}

/** The candidate's other screenings (a resume and its take-home), oldest first, all in the caller's organisation. */
export async function relatedScreenings(
  services: Services,
  screening: Screening,
): Promise<RelatedScreening[]> {
  const links = await services.screenings.listCandidateScreenings(screening.orgId, screening.candidateId);
  const others = links.filter((l) => l.screeningId !== screening.id);
  const found = await Promise.all(
    others.map((l) => services.screenings.getScreening(screening.orgId, l.screeningId)),
  );
  return found.filter((s) => s !== null).map((s) => ({ id: s.id, kind: s.kind, status: s.status }));
}

const kindWords: Record<Screening['kind'], string> = { resume: 'Resume', 'take-home': 'Take-home' };

export function RelatedLinks(props: { related: RelatedScreening[] }) {
  if (props.related.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="related" id="related-screenings">
      {props.related.map((r) => (
        <li>
          <a href={`/screenings/${r.id}`}>{kindWords[r.kind]} screening</a>{' '}
          <span class={`badge ${r.status}`}>{statusLabel(r.status)}</span>
        </li>
      ))}
    </ul>
  );
}
