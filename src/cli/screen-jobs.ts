import path from 'node:path';
import type { Assessment } from '../assessment/assessment';
import type { Principal } from '../auth/auth-store';
import { AppError } from '../core/app-error';
import type { Services } from '../core/services';
import { submitResume } from '../screening/intake';
import type { CandidateFields } from '../screening/screening';
import { decodeTakeHome } from '../takehome/take-home';
import { submitTakeHome, submitUploads } from '../takehome/take-home-intake';

/**
 * The CLI's part of a screening: submitting what it was given through the same intake as the API, and waiting for
 * the draft. A file is a resume or a take-home by its name (its type is still read from its bytes at intake); a
 * resume and a take-home given together are one candidate.
 */
export interface Submitted {
  file: string;
  id: string;
}

const ARCHIVE = /\.(?:zip|tar\.gz|tgz)$/i;
/** Who the files are from, as `--name` and `--email` give it (both null: blind screening finds the name itself). */
export type CliCandidate = Pick<CandidateFields, 'name' | 'email'>;
const anonymous: CliCandidate = { name: null, email: null };

export async function submissionsFor(
  services: Services,
  principal: Principal,
  files: readonly string[],
  read: (file: string) => Promise<Uint8Array>,
  who: CliCandidate = anonymous,
  /** The resume's rubric (`--rubric`); absent: the organisation's, else the deployment's. */
  rubricId?: string,
): Promise<Submitted[]> {
  const candidate: CandidateFields = { ...who, externalId: null, position: null };
  const upload = async (file: string) => ({
    bytes: new Uint8Array(await read(file)),
    filename: path.basename(file),
  });
  const [first, second] = files;
  if (!first) return [];
  if (second) {
    const [resume, takeHome] = ARCHIVE.test(first) ? [second, first] : [first, second];
    if (ARCHIVE.test(resume) || !ARCHIVE.test(takeHome)) {
      throw new AppError('bad_request', 'invalid_request', 'Give one resume and one take-home archive.');
    }
    const { screening, related } = await submitUploads(services, principal, {
      resume: await upload(resume),
      takeHome: await upload(takeHome),
      candidate,
      source: 'cli',
      rubricId,
    });
    const byKind = (kind: string) => [screening, ...related].find((s) => s.kind === kind)?.id ?? '';
    return [
      { file: resume, id: byKind('resume') },
      { file: takeHome, id: byKind('take-home') },
    ];
  }
  const common = { candidate, source: 'cli' as const };
  const screening = ARCHIVE.test(first)
    ? await submitTakeHome(services, principal, { ...(await upload(first)), ...common })
    : await submitResume(services, principal, { ...(await upload(first)), ...common, rubricId });
  return [{ file: first, id: screening.id }];
}

export type Waited =
  | { ok: true; assessment: Assessment; files: Map<string, string> }
  | { ok: false; message: string; code: string | null };

/** Polls until the screening is drafted or failed; a take-home comes back with its files, to print whole lines. */
export async function waitForDraft(
  services: Services,
  orgId: string,
  id: string,
  timeoutMs: number,
  onStatus: (status: string) => void,
): Promise<Waited> {
  const started = Date.now();
  let last = '';
  let record = await services.screenings.get(orgId, id);
  while (
    record &&
    !['drafted', 'failed'].includes(record.screening.status) &&
    Date.now() - started < timeoutMs
  ) {
    if (record.screening.status !== last) {
      last = record.screening.status;
      onStatus(last);
    }
    await new Promise((r) => setTimeout(r, 100));
    record = await services.screenings.get(orgId, id);
  }
  if (!record?.draft) {
    const reason = record?.screening.statusReason;
    return {
      ok: false,
      code: reason?.code ?? null,
      message: `${record?.screening.status ?? 'missing'}${reason ? `: ${reason.message} (${reason.code})` : ''}`,
    };
  }
  const files = new Map<string, string>();
  const key = record.submissions.find((s) => s.kind === 'take-home')?.textKey;
  const blob = key ? await services.blobs.get(key) : null;
  if (blob) for (const f of decodeTakeHome(blob.bytes).files) files.set(f.path, f.content);
  return { ok: true, assessment: record.draft, files };
}
