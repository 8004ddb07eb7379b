import { isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { currentRubric } from '../rubric/current-rubric';
import { loadRubric } from '../rubric/rubric';
import type { ScreeningRecord } from '../store/screening-store';
import { storeText, toStoredText } from './intake';
import { type StatusReason, StoredText } from './screening';
import type { ScreeningKindHandler } from './screening-kind';

/** The prompt template resumes are drafted with (`prompts/templates/`). */
export const RESUME_TEMPLATE_ID = 'resume-screen';

/**
 * A resume: its extracted text (hidden spans kept aside), judged against the rubric its screening recorded at intake
 * (the upload's choice, the organisation's or the deployment's). A rubric this deployment no longer has fails the
 * screening with `rubric_missing` rather than drafting it against another.
 */
export const resumeKind: ScreeningKindHandler = {
  async load(services, record) {
    const { rubricId } = record.screening;
    if ((await currentRubric(rubricId))?.kind !== 'resume') {
      return missing(
        'rubric_missing',
        `The rubric ${rubricId} is not among this deployment's resume rubrics (it was removed or renamed). ` +
          'Restore it and queue the screening again, or upload the resume again with another rubric.',
      );
    }
    const loaded = await loadText(services, record);
    if (!loaded.ok) return loaded;
    // The loaders cache: the files are read and validated once per process (at start, by `preloadPrompts`).
    const [rubric, template] = await Promise.all([
      loadRubric(rubricId),
      loadPromptTemplate(RESUME_TEMPLATE_ID),
    ]);
    return {
      ok: true,
      material: {
        rubric,
        template,
        text: loaded.text.text,
        hidden: loaded.text.hidden,
      },
    };
  },
};

const missing = (code: string, message: string): { ok: false; reason: StatusReason } => ({
  ok: false,
  reason: { code, message, retryable: false },
});

/**
 * The resume's extracted text: stored at upload when the API could extract, else extracted here from the kept upload
 * (and stored, so a retry does not extract again). A file that cannot be read fails the screening for good, with the
 * extractor's reason; the upload stays where it is.
 */
async function loadText(
  services: Services,
  { screening, submissions }: ScreeningRecord,
): Promise<{ ok: true; text: StoredText } | { ok: false; reason: StatusReason }> {
  const resume = submissions.find((s) => s.kind === 'resume');
  if (!resume) return missing('text_missing', 'The screening has no resume.');
  if (resume.textKey) {
    const blob = await services.blobs.get(resume.textKey);
    if (!blob) return missing('text_missing', 'The extracted text of the resume is missing.');
    return { ok: true, text: StoredText.parse(JSON.parse(new TextDecoder().decode(blob.bytes))) };
  }
  const upload = await services.blobs.get(resume.blobKey);
  if (!upload) return missing('upload_missing', 'The uploaded file is missing.');
  if (!services.extract) throw new Error('this worker has no extractor configured');
  let extracted: Awaited<ReturnType<NonNullable<Services['extract']>>>;
  try {
    extracted = await services.extract(upload.bytes);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return missing(error.code, error.message);
  }
  const textKey = await storeText(services, screening.orgId, resume.id, extracted);
  await services.screenings.setSubmissionText(screening.orgId, screening.id, resume.id, {
    textKey,
    charCount: extracted.charCount,
    pageCount: extracted.pageCount,
  });
  return { ok: true, text: toStoredText(extracted) };
}
