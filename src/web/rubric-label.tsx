import type { Assessment } from '../assessment/assessment';
import { type CurrentRubric, listRubrics } from '../rubric/current-rubric';
import type { Screening } from '../screening/screening';

/**
 * Which rubric a screening is judged against, as people read it: the title from the deployment's catalogue
 * (`currentRubric(screening.rubricId)`) and the version the draft was made with (the current version before a draft
 * exists). A rubric the deployment no longer has is named by its id.
 */
export function RubricRow(props: {
  screening: Screening;
  rubric: CurrentRubric | null;
  draft: Assessment | null;
}) {
  const { screening, rubric, draft } = props;
  const version = draft?.provenance.rubricVersion ?? rubric?.version;
  return (
    <>
      <dt>Rubric</dt>
      <dd id="rubric" data-rubric-id={screening.rubricId}>
        {rubric ? rubric.title : screening.rubricId}
        {version ? `, version ${version}` : ''}{' '}
        <span class="small muted">
          {rubric ? `(${screening.rubricId})` : '(no longer in this deployment)'}
        </span>
      </dd>
    </>
  );
}

/** Titles by rubric id, for lists that show many screenings (the queue). */
export async function rubricTitles(): Promise<Map<string, string>> {
  return new Map((await listRubrics()).map((r) => [r.id, r.title]));
}
