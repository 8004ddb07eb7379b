import { z } from 'zod';
import { AppError } from '../core/app-error';
import { readArchive } from './archive';
import { ACCEPTED_ARCHIVE_TYPES, type ArchiveLimits } from './archive-limits';
import { classifyPath, findVirtualenvRoots, SelectedFile, SkippedEntry, selectFiles } from './select-files';
import { analyse, StaticReport } from './static-signals';

/**
 * A take-home as Vetline keeps it once read: the files selected for review (decoded), what was skipped and why, the
 * static signals, and a few facts about the archive. Stored as JSON beside the upload (`blobKeys.text`); the worker
 * drafts from it and the API shows it to reviewers (without the file contents).
 */
export const StoredTakeHome = z.object({
  kind: z.literal('take-home'),
  archive: z.object({
    kind: z.enum(ACCEPTED_ARCHIVE_TYPES),
    entries: z.number().int().min(0),
    totalBytes: z.number().int().min(0),
  }),
  files: z.array(SelectedFile),
  skipped: z.array(SkippedEntry),
  signals: StaticReport,
  warnings: z.array(z.string()),
});
export type StoredTakeHome = z.infer<typeof StoredTakeHome>;

export const TAKE_HOME_CONTENT_TYPES: Record<StoredTakeHome['archive']['kind'], string> = {
  zip: 'application/zip',
  'tar.gz': 'application/gzip',
};

/**
 * Reads an uploaded archive safely and prepares it for review. Throws an `AppError` a recruiter can act on: 415 for
 * something that is not a zip or tar.gz, 413 or 422 for an archive refused by the safety checks, 422 for one without
 * Python code to review.
 */
export function readTakeHome(bytes: Uint8Array, limits?: Partial<ArchiveLimits>): StoredTakeHome {
  let roots: Set<string> | null = null;
  const archive = readArchive(bytes, {
    ...(limits ? { limits } : {}),
    wanted: (path, entries) => {
      roots ??= findVirtualenvRoots(entries);
      return 'role' in classifyPath(path, roots);
    },
  });
  const { selected, skipped, warnings } = selectFiles(archive.entries, archive.files);
  const python = selected.filter((f) => f.role !== 'config' && f.role !== 'docs' && /\.pyi?$/.test(f.path));
  if (python.length === 0) {
    throw new AppError(
      'unprocessable',
      'no_python_files',
      'The archive has no Python source files to review (virtualenvs, dependencies and generated code are skipped).',
      { details: { selected: selected.length, skipped: skipped.length } },
    );
  }
  return StoredTakeHome.parse({
    kind: 'take-home',
    archive: { kind: archive.kind, entries: archive.entries.length, totalBytes: archive.totalBytes },
    files: selected,
    skipped,
    signals: analyse(selected, skipped),
    warnings,
  });
}

export const encodeTakeHome = (stored: StoredTakeHome): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(stored));

export const decodeTakeHome = (bytes: Uint8Array): StoredTakeHome =>
  StoredTakeHome.parse(JSON.parse(new TextDecoder().decode(bytes)));
