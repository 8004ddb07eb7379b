import { crc32, inflateRawSync } from 'node:zlib';
import { type ArchiveLimits, archiveError } from './archive-limits';
import type { OpenedArchive, RawEntry } from './archive-types';

/**
 * ZIP, read from its central directory (the index at the end of the file), which is the only place that says whether
 * an entry is a symbolic link (Unix mode bits in the external attributes) or encrypted. Node's zlib inflates; everything
 * around it is checked here: one disk only, every local header where the directory says and under the same name, no
 * two entries sharing bytes (overlapping entries are how the most efficient zip bombs are built), output no longer
 * than declared (zlib's `maxOutputLength` stops the inflation there, so a liar can neither allocate more nor make us
 * inflate the rest) and a CRC-32 that matches (so a liar is caught). The DOCX reader uses it too.
 */

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UNIX_HOST = 3;

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

interface ZipRecord extends RawEntry {
  compressedSize: number;
  method: number;
  flags: number;
  crc: number;
  localOffset: number;
}

export function openZip(bytes: Uint8Array, limits: ArchiveLimits): OpenedArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(bytes, view);
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) {
    throw archiveError.corrupt('multi-part archives are not supported');
  }
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR)
      throw archiveError.corrupt('bad ZIP64 end record');
    const zip64 = safeNumber(view.getBigUint64(locator + 8, true));
    if (zip64 + 56 > bytes.length || view.getUint32(zip64, true) !== ZIP64_EOCD) {
      throw archiveError.corrupt('bad ZIP64 end record');
    }
    count = safeNumber(view.getBigUint64(zip64 + 32, true));
    size = safeNumber(view.getBigUint64(zip64 + 40, true));
    offset = safeNumber(view.getBigUint64(zip64 + 48, true));
  }
  if (count > limits.maxEntries) throw archiveError.tooManyEntries(count, limits.maxEntries);
  if (offset + size > bytes.length) throw archiveError.corrupt('the central directory is outside the file');

  const records: ZipRecord[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) {
      throw archiveError.corrupt('a central directory entry is missing');
    }
    const madeBy = view.getUint16(p + 4, true);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const external = view.getUint32(p + 38, true);
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLength);
    const name = decodeName(nameBytes, flags);
    const sizes = zip64Fields(view, p + 46 + nameLength, p + 46 + nameLength + extraLength, {
      size: view.getUint32(p + 24, true),
      compressedSize: view.getUint32(p + 20, true),
      localOffset: view.getUint32(p + 42, true),
    });
    records.push({ name, type: entryType(name, madeBy, external), flags, method, crc, ...sizes });
    p += 46 + nameLength + extraLength + commentLength;
  }
  checkLocalHeaders(bytes, view, records, offset);

  return {
    entries: records,
    read(index: number): Uint8Array {
      const record = records[index];
      if (!record) throw new Error(`no entry ${index}`);
      return inflate(bytes, view, record);
    },
  };
}

/** Encryption and compression are checked when an entry is read: directories and links never are. */
function inflate(bytes: Uint8Array, view: DataView, record: ZipRecord): Uint8Array {
  if (record.flags & 0x41) throw archiveError.encrypted(record.name);
  const start = dataStart(view, record);
  const data = bytes.subarray(start, start + record.compressedSize);
  let out: Uint8Array;
  if (record.method === 0) {
    if (record.compressedSize !== record.size)
      throw archiveError.corrupt('a stored entry has two sizes', record.name);
    out = data;
  } else if (record.method === 8) {
    try {
      // zlib stops as soon as the output passes the declared size. (fflate, given a buffer of that size, wrote no
      // further but went on inflating to the end: a liar cost no memory, but seconds of CPU per megabyte sent.)
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, record.size) });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw archiveError.corrupt('an entry does not match its declared size and checksum', record.name);
      }
      throw Object.assign(archiveError.corrupt('an entry does not inflate', record.name), { cause: error });
    }
  } else {
    throw archiveError.compression(record.name, record.method);
  }
  if (out.length !== record.size || crc32(out) !== record.crc) {
    throw archiveError.corrupt('an entry does not match its declared size and checksum', record.name);
  }
  return out;
}

function dataStart(view: DataView, record: ZipRecord): number {
  const at = record.localOffset;
  return at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
}

/**
 * Every local header is where the directory says, names the same entry, and owns its bytes alone: entries may not
 * overlap each other or the central directory.
 */
function checkLocalHeaders(
  bytes: Uint8Array,
  view: DataView,
  records: readonly ZipRecord[],
  directory: number,
): void {
  const spans: Array<[number, number, string]> = [];
  for (const record of records) {
    const at = record.localOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) {
      throw archiveError.corrupt('a local header is missing', record.name);
    }
    const nameLength = view.getUint16(at + 26, true);
    const localName = decodeName(bytes.subarray(at + 30, at + 30 + nameLength), view.getUint16(at + 6, true));
    if (localName !== record.name)
      throw archiveError.corrupt('a local header names another file', record.name);
    const start = dataStart(view, record);
    const end = start + record.compressedSize;
    if (end > directory) throw archiveError.corrupt('an entry runs past its end', record.name);
    spans.push([at, end, record.name]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    const [start, , name] = spans[i] ?? [0, 0, ''];
    if (start < (spans[i - 1]?.[1] ?? 0))
      throw archiveError.corrupt('two entries share the same bytes', name);
  }
}

function findEndRecord(bytes: Uint8Array, view: DataView): number {
  // The end record is 22 bytes plus a comment of up to 65 535.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let p = bytes.length - 22; p >= lowest; p--) {
    if (view.getUint32(p, true) === EOCD && p + 22 + view.getUint16(p + 20, true) === bytes.length) return p;
  }
  throw archiveError.corrupt('no central directory (is the file truncated?)');
}

function entryType(name: string, madeBy: number, external: number): RawEntry['type'] {
  if (madeBy >>> 8 === UNIX_HOST) {
    const mode = (external >>> 16) & S_IFMT;
    if (mode === S_IFLNK) return 'symlink';
    if (mode === S_IFDIR) return 'directory';
    if (mode !== 0 && mode !== S_IFREG) return 'special';
  }
  if (name.endsWith('/') || name.endsWith('\\') || external & 0x10) return 'directory';
  return 'file';
}

/** ZIP64 keeps values that do not fit in 32 bits in extra field 1, in this order, only for those that overflowed. */
function zip64Fields(
  view: DataView,
  start: number,
  end: number,
  fields: { size: number; compressedSize: number; localOffset: number },
): { size: number; compressedSize: number; localOffset: number } {
  const limit = Math.min(end, view.byteLength);
  for (let p = start; p + 4 <= limit; p += 4 + view.getUint16(p + 2, true)) {
    if (view.getUint16(p, true) !== 0x0001) continue;
    let q = p + 4;
    const fieldEnd = Math.min(limit, q + view.getUint16(p + 2, true));
    const next = (value: number) => {
      if (value !== 0xffffffff || q + 8 > fieldEnd) return value;
      const read = safeNumber(view.getBigUint64(q, true));
      q += 8;
      return read;
    };
    const size = next(fields.size);
    const compressedSize = next(fields.compressedSize);
    const localOffset = next(fields.localOffset);
    return { size, compressedSize, localOffset };
  }
  return fields;
}

/** Names are UTF-8 when flag bit 11 says so; older tools wrote CP437, of which the ASCII part is what matters here. */
function decodeName(raw: Uint8Array, flags: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    if (flags & 0x800) throw archiveError.corrupt('an entry name is not valid UTF-8');
    return Array.from(raw, (b) => (b < 0x80 ? String.fromCharCode(b) : '\ufffd')).join('');
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw archiveError.corrupt('a size is out of range');
  return Number(value);
}
