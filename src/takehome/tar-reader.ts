import { gunzipSync } from 'node:zlib';
import { type ArchiveLimits, archiveError } from './archive-limits';
import type { OpenedArchive, RawEntry } from './archive-types';

/**
 * tar.gz: node's zlib inflates (with `maxOutputLength`, so a gzip bomb stops at the limit instead of filling memory),
 * then a small tar reader of our own walks the 512-byte headers. Why our own: the well-known tar libraries (node-tar,
 * tar-stream) are built to stream entries to disk or to consumers; here the whole archive is already in memory and
 * nothing may touch the file system, and the format subset a source archive uses is small: POSIX ustar, pax extended
 * headers (long paths, large sizes) and GNU long names. Each header's checksum is verified; anything else in the
 * archive (links, devices, sparse files) is reported as what it is so that the caller can refuse it.
 */

const BLOCK = 512;

interface Pending {
  path?: string;
  linkpath?: string;
  size?: number;
}

export function openTarGz(bytes: Uint8Array, limits: ArchiveLimits): OpenedArchive {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: limits.maxTotalBytes + 2 * BLOCK * 1024 });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw archiveError.tooLarge(limits.maxTotalBytes);
    }
    throw Object.assign(archiveError.corrupt('the gzip stream does not inflate'), { cause: error });
  }
  const ratio = tar.length / Math.max(1, bytes.length);
  if (tar.length >= limits.ratioFloorBytes && ratio > limits.maxRatio) {
    throw archiveError.ratio('(the whole archive)', ratio, limits.maxRatio);
  }
  return readTar(tar, limits);
}

export function readTar(tar: Uint8Array, limits: ArchiveLimits): OpenedArchive {
  const entries: RawEntry[] = [];
  const spans: Array<[number, number]> = [];
  let pending: Pending = {};
  let p = 0;
  while (p + BLOCK <= tar.length) {
    const header = tar.subarray(p, p + BLOCK);
    if (header.every((b) => b === 0)) break; // end of archive
    verifyChecksum(header);
    const type = String.fromCharCode(header[156] ?? 0);
    const declared = readNumber(header.subarray(124, 136));
    const size = pending.size ?? declared;
    const start = p + BLOCK;
    const end = start + size;
    if (end > tar.length) throw archiveError.corrupt('an entry runs past the end of the archive');
    const data = tar.subarray(start, end);
    p = start + Math.ceil(size / BLOCK) * BLOCK;

    switch (type) {
      case 'x': // pax header for the next entry
        pending = { ...pending, ...parsePax(data) };
        continue;
      case 'g': // pax global header: nothing Vetline uses
        continue;
      case 'L': // GNU long name for the next entry
        pending = { ...pending, path: cString(data) };
        continue;
      case 'K': // GNU long link name
        pending = { ...pending, linkpath: cString(data) };
        continue;
    }
    const name = pending.path ?? headerPath(header);
    pending = {};
    entries.push({ name, type: entryType(type), size, compressedSize: null });
    spans.push([start, end]);
    if (entries.length > limits.maxEntries)
      throw archiveError.tooManyEntries(entries.length, limits.maxEntries);
  }
  return {
    entries,
    read(index: number): Uint8Array {
      const span = spans[index];
      if (!span) throw new Error(`no entry ${index}`);
      return tar.subarray(span[0], span[1]);
    },
  };
}

function entryType(flag: string): RawEntry['type'] {
  switch (flag) {
    case '0':
    case '\0':
    case '7': // contiguous file: a regular file to everyone but one 1980s machine
      return 'file';
    case '5':
      return 'directory';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    default: // character and block devices, FIFOs, GNU sparse and volume headers, vendor extensions
      return 'special';
  }
}

/** ustar splits long paths into a prefix (345..500) and a name (0..100). */
function headerPath(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  const magic = String.fromCharCode(...header.subarray(257, 262));
  const prefix = magic === 'ustar' ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** The checksum is the sum of the header's bytes with the checksum field read as spaces (some tars sum signed). */
function verifyChecksum(header: Uint8Array): void {
  const stored = readNumber(header.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  if (stored !== unsigned && stored !== signed)
    throw archiveError.corrupt('a tar header checksum does not match');
}

/** Octal, NUL- or space-terminated; or GNU base-256 when the high bit of the first byte is set. */
function readNumber(field: Uint8Array): number {
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw archiveError.corrupt('a size is out of range');
    return value;
  }
  const text = String.fromCharCode(...field)
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw archiveError.corrupt('a tar header has a malformed number');
  return Number.parseInt(text, 8);
}

/**
 * pax records: "<length> <key>=<value>\n", the length counting the record's bytes, itself included. The length is
 * looked for in the first few bytes only: a record of any size that fits in memory has a length of at most 16 digits,
 * and a hostile header with megabytes of digits before its first space must be refused, not spread into arguments.
 */
const MAX_PAX_LENGTH_DIGITS = 16;

function parsePax(data: Uint8Array): Pending {
  const out: Pending = {};
  const decoder = new TextDecoder();
  let p = 0;
  while (p < data.length) {
    const space = data.subarray(p, p + MAX_PAX_LENGTH_DIGITS + 1).indexOf(0x20);
    const digits = space > 0 ? decoder.decode(data.subarray(p, p + space)) : '';
    const length = /^[0-9]+$/.test(digits) ? Number(digits) : Number.NaN;
    if (!Number.isSafeInteger(length) || length <= space || p + length > data.length) {
      throw archiveError.corrupt('a pax header is malformed');
    }
    const record = decoder.decode(data.subarray(p + space + 1, p + length - 1));
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    else if (key === 'linkpath') out.linkpath = value;
    else if (key === 'size') {
      if (!/^\d+$/.test(value)) throw archiveError.corrupt('a pax size is malformed');
      out.size = Number(value);
    }
    p += length;
  }
  return out;
}

function cString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}
