import { blobKeys } from '../blob/blob-store';
import { isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import type { StatusReason } from '../screening/screening';
import type { ScreeningKindHandler } from '../screening/screening-kind';
import type { ScreeningRecord } from '../store/screening-store';
import { archiveError } from './archive-limits';
import { buildMaterial } from './material';
import { decodeTakeHome, encodeTakeHome, readTakeHome, type StoredTakeHome } from './take-home';

/** The prompt template take-homes are drafted with (`prompts/templates/`). */
export const TAKE_HOME_TEMPLATE_ID = 'take-home-review';

/**
 * A take-home: what intake read of the archive, rendered under the token budget (static summary, skipped list, the
 * most telling files in blocks) with the layout that lets quotes and flags be told as files and lines, judged against
 * the take-home rubric and template.
 */
export const takeHomeKind: ScreeningKindHandler = {
  async load(services, record) {
    const loaded = await loadTakeHome(services, record);
    if (!loaded.ok) return loaded;
    const { config } = services;
    const [rubric, template] = await Promise.all([
      loadRubric(config.takeHome.rubricId),
      loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
    ]);
    const material = buildMaterial(loaded.stored, { tokenBudget: config.takeHome.tokenBudget });
    return {
      ok: true,
      material: {
        rubric,
        template,
        text: material.text,
        hidden: [],
        code: material.code,
        figures: {
          materialTokens: material.tokens,
          chunksShown: material.shown.length,
          chunksOmitted: material.omitted.length,
        },
      },
    };
  },
};

/**
 * What intake read of the archive; read again from the kept upload if it is missing (and stored, so a retry does not
 * read it again). An archive that cannot be read fails the screening for good, with the reason.
 */
async function loadTakeHome(
  services: Services,
  { screening, submissions }: ScreeningRecord,
): Promise<{ ok: true; stored: StoredTakeHome } | { ok: false; reason: StatusReason }> {
  const submission = submissions.find((s) => s.kind === 'take-home');
  const fail = (code: string, message: string) =>
    ({ ok: false, reason: { code, message, retryable: false } }) as const;
  if (!submission) return fail('text_missing', 'The screening has no take-home archive.');
  if (submission.textKey) {
    const blob = await services.blobs.get(submission.textKey);
    if (blob) return { ok: true, stored: decodeTakeHome(blob.bytes) };
  }
  const upload = await services.blobs.get(submission.blobKey);
  if (!upload) return fail('upload_missing', 'The uploaded archive is missing.');
  let stored: StoredTakeHome;
  try {
    stored = readTakeHome(upload.bytes);
  } catch (error) {
    if (isAppError(error)) return fail(error.code, error.message);
    services.logger.error('the take-home reader failed on an archive', { error, screeningId: screening.id });
    const refusal = archiveError.unreadable(error);
    return fail(refusal.code, refusal.message);
  }
  const textKey = submission.textKey ?? blobKeys.text(screening.orgId, submission.id);
  await services.blobs.put(textKey, encodeTakeHome(stored), 'application/json');
  await services.screenings.setSubmissionText(screening.orgId, screening.id, submission.id, {
    textKey,
    charCount: stored.files.reduce((n, f) => n + f.content.length, 0),
    pageCount: null,
  });
  return { ok: true, stored };
}
