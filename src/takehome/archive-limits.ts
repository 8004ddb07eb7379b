import { AppError } from '../core/app-error';

/**
 * What a take-home archive may hold. A real submission is a few dozen to a few hundred small text files; these limits
 * are an order of magnitude above that and far below what would hurt the service. Everything is read in memory.
 */
export interface ArchiveLimits {
  /** Entries of any kind (files, folders, links). */
  maxEntries: number;
  /** Uncompressed bytes of all entries together, as declared (zip) or as decompressed (tar.gz). */
  maxTotalBytes: number;
  /** Uncompressed bytes of any one file. */
  maxFileBytes: number;
  /** Uncompressed over compressed size, for an entry (or a whole tar.gz) of at least `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Folders deep, and characters long, a path may be. */
  maxDepth: number;
  maxPathLength: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 5_000,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFileBytes: 8 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxDepth: 24,
  maxPathLength: 400,
};

export const ACCEPTED_ARCHIVE_TYPES = ['zip', 'tar.gz'] as const;
export type ArchiveKind = (typeof ACCEPTED_ARCHIVE_TYPES)[number];

/** How entries name paths is the candidate's business; what we echo back is clipped and free of control characters. */
export const showPath = (path: string): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed.
  const clean = path.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
};

const ADVICE =
  'Zip or tar the project folder itself, without virtualenvs, node_modules, caches or build output.';

/** The one place archive refusals are worded: a code the client can act on and a message a recruiter can read. */
export const archiveError = {
  unsupported: (detected: string) =>
    new AppError(
      'unsupported_media_type',
      'unsupported_file_type',
      'A take-home must be a .zip or .tar.gz archive.',
      { details: { accepted: [...ACCEPTED_ARCHIVE_TYPES], detected } },
    ),
  /**
   * The reader failed with something other than a refusal: a fault of ours on a hostile or unusual archive. The
   * caller logs it (it is a bug to fix) and refuses the archive like a damaged one, so that the upload is kept, the
   * screening fails with a reason and the client gets a 4xx with the ids, never a 500 after half the work is done.
   */
  unreadable: (cause: unknown) =>
    new AppError('unprocessable', 'corrupt_archive', 'The archive could not be read.', {
      cause,
      details: {},
    }),
  corrupt: (reason: string, entry?: string) =>
    new AppError('unprocessable', 'corrupt_archive', `The archive is damaged: ${reason}.`, {
      details: entry === undefined ? {} : { entry: showPath(entry) },
    }),
  encrypted: (entry: string) =>
    new AppError(
      'unprocessable',
      'encrypted_archive',
      'The archive is password-protected. Upload it without a password.',
      { details: { entry: showPath(entry) } },
    ),
  compression: (entry: string, method: number) =>
    new AppError(
      'unprocessable',
      'unsupported_compression',
      `The archive uses a compression method Vetline does not read (${method}); use the standard deflate.`,
      { details: { entry: showPath(entry), method } },
    ),
  tooManyEntries: (count: number, limit: number) =>
    new AppError(
      'unprocessable',
      'too_many_entries',
      `The archive has ${count} entries; at most ${limit} are accepted. ${ADVICE}`,
      { details: { entries: count, limit } },
    ),
  tooLarge: (limit: number) =>
    new AppError(
      'payload_too_large',
      'archive_too_large',
      `The archive expands to more than ${limit} bytes. ${ADVICE}`,
      { details: { limitBytes: limit } },
    ),
  fileTooLarge: (entry: string, limit: number) =>
    new AppError(
      'payload_too_large',
      'archive_entry_too_large',
      `A file in the archive expands to more than ${limit} bytes.`,
      { details: { entry: showPath(entry), limitBytes: limit } },
    ),
  ratio: (entry: string, ratio: number, limit: number) =>
    new AppError(
      'unprocessable',
      'suspicious_compression_ratio',
      `The archive compresses ${Math.round(ratio)} to 1, more than the ${limit} to 1 of real source code: it looks like a decompression bomb.`,
      { details: { entry: showPath(entry), ratio: Math.round(ratio), limit } },
    ),
  unsafePath: (entry: string, why: string) =>
    new AppError('unprocessable', 'unsafe_path', `The archive has an unsafe path (${why}).`, {
      details: { entry: showPath(entry), problem: why },
    }),
  tooDeep: (entry: string, limits: ArchiveLimits) =>
    new AppError(
      'unprocessable',
      'path_too_deep',
      `A path in the archive is nested more than ${limits.maxDepth} folders deep or is longer than ${limits.maxPathLength} characters.`,
      { details: { entry: showPath(entry), maxDepth: limits.maxDepth, maxPathLength: limits.maxPathLength } },
    ),
  link: (entry: string, kind: 'symlink' | 'hardlink') =>
    new AppError(
      'unprocessable',
      kind === 'symlink' ? 'symlink_in_archive' : 'hardlink_in_archive',
      `The archive contains a ${kind === 'symlink' ? 'symbolic' : 'hard'} link, which Vetline does not follow. ${ADVICE}`,
      { details: { entry: showPath(entry) } },
    ),
  special: (entry: string) =>
    new AppError(
      'unprocessable',
      'special_file_in_archive',
      'The archive contains a device, pipe or other special file.',
      { details: { entry: showPath(entry) } },
    ),
  nested: (entry: string) =>
    new AppError(
      'unprocessable',
      'nested_archive',
      'The archive contains another archive; Vetline does not open archives inside archives. Unpack it first.',
      { details: { entry: showPath(entry) } },
    ),
  duplicate: (entry: string) =>
    new AppError('unprocessable', 'duplicate_entry', 'The archive names the same file twice.', {
      details: { entry: showPath(entry) },
    }),
};
