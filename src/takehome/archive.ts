import { type ArchiveKind, type ArchiveLimits, archiveError, DEFAULT_ARCHIVE_LIMITS } from './archive-limits';
import type { OpenedArchive } from './archive-types';
import { openTarGz } from './tar-reader';
import { openZip } from './zip-reader';

/**
 * Safe extraction of a take-home archive, in memory, before anything else looks at it. Every entry is checked, read or
 * not: its path (no traversal, no absolute or drive paths, not too deep), its kind (files and folders only: links and
 * special files are refused, never followed), its size and compression ratio, and that it is not itself an archive.
 * Only then are the contents of the files the caller wants read, each bounded by its declared size.
 */

export interface ArchiveEntry {
  /** Normalised: forward slashes, no `.` segments, no leading `./`. */
  path: string;
  type: 'file' | 'directory';
  size: number;
}

export interface ArchiveContents {
  kind: ArchiveKind;
  entries: ArchiveEntry[];
  /** Contents of the files `wanted` asked for, by path. */
  files: Map<string, Uint8Array>;
  /** Uncompressed bytes of all files. */
  totalBytes: number;
}

export interface ReadArchiveOptions {
  limits?: Partial<ArchiveLimits>;
  /**
   * Which files to read (by normalised path, with every entry of the archive at hand); the others are checked but
   * never inflated. Default: all.
   */
  wanted?: (path: string, entries: readonly ArchiveEntry[]) => boolean;
}

/** Decided from the bytes: a ZIP local header (or empty-archive end record), or a gzip stream. */
export function detectArchiveKind(bytes: Uint8Array): ArchiveKind {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05)) return 'zip';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  throw archiveError.unsupported(describe(bytes));
}

export function readArchive(bytes: Uint8Array, options: ReadArchiveOptions = {}): ArchiveContents {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const kind = detectArchiveKind(bytes);
  const opened: OpenedArchive = kind === 'zip' ? openZip(bytes, limits) : openTarGz(bytes, limits);

  const entries: ArchiveEntry[] = [];
  const indexes: number[] = [];
  const seen = new Set<string>();
  let totalBytes = 0;
  opened.entries.forEach((raw, index) => {
    const path = normalisePath(raw.name, limits);
    if (raw.type === 'symlink' || raw.type === 'hardlink') throw archiveError.link(raw.name, raw.type);
    if (raw.type === 'special') throw archiveError.special(raw.name);
    if (path === '') return; // the archive's own root folder ("./")
    if (raw.type === 'directory') {
      entries.push({ path, type: 'directory', size: 0 });
      return;
    }
    if (seen.has(path)) throw archiveError.duplicate(raw.name);
    seen.add(path);
    if (raw.compressedSize !== null && raw.size >= limits.ratioFloorBytes) {
      const ratio = raw.size / Math.max(1, raw.compressedSize);
      if (ratio > limits.maxRatio) throw archiveError.ratio(raw.name, ratio, limits.maxRatio);
    }
    if (raw.size > limits.maxFileBytes) throw archiveError.fileTooLarge(raw.name, limits.maxFileBytes);
    totalBytes += raw.size;
    if (totalBytes > limits.maxTotalBytes) throw archiveError.tooLarge(limits.maxTotalBytes);
    if (NESTED_ARCHIVE_NAME.test(path)) throw archiveError.nested(raw.name);
    entries.push({ path, type: 'file', size: raw.size });
    indexes.push(index);
  });

  const files = new Map<string, Uint8Array>();
  const wanted = options.wanted ?? (() => true);
  for (const index of indexes) {
    const raw = opened.entries[index];
    if (!raw) continue;
    const path = normalisePath(raw.name, limits);
    if (!wanted(path, entries)) continue;
    const content = opened.read(index);
    if (looksLikeArchive(content)) throw archiveError.nested(raw.name);
    files.set(path, content);
  }
  return { kind, entries, files, totalBytes };
}

/**
 * The path as Vetline will show it, or a refusal. Backslashes count as separators (Windows tools write them), so
 * `..\\..\\x` is caught too; `.` segments and empty segments go; `..` anywhere is refused, even where it would stay
 * inside the archive, because no honest archive needs it.
 */
export function normalisePath(name: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): string {
  if (name.includes('\0')) throw archiveError.unsafePath(name, 'a NUL character');
  const slashed = name.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed))
    throw archiveError.unsafePath(name, 'an absolute path');
  const segments = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    throw archiveError.unsafePath(name, 'a ".." segment that climbs out of the folder');
  const path = segments.join('/');
  if (segments.length > limits.maxDepth || path.length > limits.maxPathLength)
    throw archiveError.tooDeep(name, limits);
  return path;
}

const NESTED_ARCHIVE_NAME =
  /\.(?:zip|tar|tgz|gz|tbz2?|bz2|txz|xz|zst|lz4|lzma|7z|rar|whl|egg|jar|war|ear|apk|cab|iso|dmg)$/i;

/** Magic numbers of the archive and compression formats people nest. */
function looksLikeArchive(bytes: Uint8Array): boolean {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  return (
    starts(0x50, 0x4b, 0x03, 0x04) ||
    starts(0x1f, 0x8b) ||
    starts(0x42, 0x5a, 0x68) || // bzip2
    starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) || // xz
    starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) || // 7z
    starts(0x52, 0x61, 0x72, 0x21) || // Rar!
    starts(0x28, 0xb5, 0x2f, 0xfd) || // zstd
    (bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar')
  );
}

/** What an unsupported upload looks like, for the 415's `detected`. */
function describe(bytes: Uint8Array): string {
  const head = String.fromCharCode(...bytes.subarray(0, 8));
  if (head.startsWith('%PDF')) return 'pdf';
  if (bytes.length >= 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') return 'tar';
  if (head.startsWith('BZh')) return 'bzip2';
  if (bytes[0] === 0xfd && head.slice(1, 5) === '7zXZ') return 'xz';
  if (bytes[0] === 0x37 && bytes[1] === 0x7a && bytes[2] === 0xbc) return '7z';
  if (head.startsWith('Rar!')) return 'rar';
  return 'unknown';
}
