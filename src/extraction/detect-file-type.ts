import { AppError } from '../core/app-error';
import { decodeWindows1252, detectUtf16Bom, guessUtf16WithoutBom } from './extract-plain-text';

/** The kinds of resume file Vetline reads. Decided from the bytes only, never from a name or a Content-Type. */
export type FileKind = 'pdf' | 'docx' | 'text';

export const ACCEPTED_FILE_TYPES = ['pdf', 'docx', 'txt', 'md'] as const;

/** How far into a file the PDF header may appear (the spec allows junk before it; readers look in the first 1 KiB). */
const PDF_HEADER_WINDOW = 1024;
/** Text detection looks at a prefix only; the extractor decodes the whole file. */
const TEXT_SAMPLE_BYTES = 64 * 1024;
/** Above this share of control characters, decoded "text" is really binary. */
const MAX_CONTROL_RATIO = 0.01;
/** Listing stops here: a resume has a few dozen entries; a hostile archive may claim millions. */
const MAX_ZIP_ENTRIES = 10_000;

export function detectFileType(bytes: Uint8Array): FileKind {
  if (isBlank(bytes)) {
    throw new AppError('unprocessable', 'empty_file', 'The file is empty.');
  }
  if (indexOf(bytes, PDF_MAGIC, PDF_HEADER_WINDOW) >= 0) return 'pdf';
  if (startsWith(bytes, ZIP_MAGIC)) {
    const names = listZipEntries(bytes).map((entry) => entry.name.toLowerCase());
    if (names.includes('word/document.xml')) return 'docx';
    throw unsupported(
      names.includes('xl/workbook.xml') ? 'xlsx' : names.includes('ppt/presentation.xml') ? 'pptx' : 'zip',
    );
  }
  const signature = knownBinarySignature(bytes);
  if (signature === 'doc' && isEncryptedOoxml(bytes)) {
    // Word saves a password-protected .docx as an OLE2 container holding an "EncryptedPackage" stream.
    throw new AppError(
      'unprocessable',
      'encrypted_document',
      'The Word document is password-protected. Upload a copy without a password.',
      { details: { detected: 'encrypted-docx' } },
    );
  }
  if (signature) throw unsupported(signature);
  if (looksLikeText(bytes)) return 'text';
  throw unsupported('binary');
}

function unsupported(detected: string): AppError {
  return new AppError(
    'unsupported_media_type',
    'unsupported_file_type',
    'This file type is not supported. Upload a PDF, DOCX, plain text or Markdown file.',
    { details: { accepted: [...ACCEPTED_FILE_TYPES], detected } },
  );
}

const PDF_MAGIC = ascii('%PDF-');
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Formats people upload by mistake, named so the error can say what the file looks like. */
const BINARY_SIGNATURES: ReadonlyArray<{ name: string; matches: (bytes: Uint8Array) => boolean }> = [
  { name: 'doc', matches: (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) }, // OLE2
  { name: 'png', matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { name: 'jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { name: 'gif', matches: (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')) },
  { name: 'webp', matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8) },
  {
    name: 'tiff',
    matches: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]),
  },
  { name: 'rtf', matches: (b) => startsWith(b, ascii('{\\rtf')) },
  { name: 'zip', matches: (b) => startsWith(b, [0x50, 0x4b, 0x05, 0x06]) }, // an empty archive
  { name: 'gzip', matches: (b) => startsWith(b, [0x1f, 0x8b]) },
  { name: '7z', matches: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { name: 'exe', matches: isPortableExecutable },
  { name: 'elf', matches: (b) => startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) },
];

/** The OLE2 directory names its streams in UTF-16LE; an encrypted OOXML file has one called EncryptedPackage. */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

function isEncryptedOoxml(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE);
}

function knownBinarySignature(bytes: Uint8Array): string | null {
  return BINARY_SIGNATURES.find((signature) => signature.matches(bytes))?.name ?? null;
}

/** "MZ" alone could start a text file; a Windows executable also points at a "PE\0\0" header. */
function isPortableExecutable(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, ascii('MZ')) || bytes.length < 0x40) return false;
  const peOffset = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0x3c, true);
  return startsWith(bytes, [0x50, 0x45, 0x00, 0x00], peOffset);
}

/** Zero bytes, or nothing but whitespace (and perhaps a byte order mark) in a text encoding. */
function isBlank(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  if (decodeSample(bytes)?.trim() !== '') return false;
  // The first 64 KiB are blank: only then is the rest worth decoding.
  return bytes.length <= TEXT_SAMPLE_BYTES || decodeSample(bytes, bytes.length)?.trim() === '';
}

/**
 * Text: UTF-16 with a byte order mark, or else no NUL bytes and either valid UTF-8 or a single-byte encoding
 * (windows-1252, the usual fallback for old Windows files); in both cases few control characters.
 */
function looksLikeText(bytes: Uint8Array): boolean {
  const text = decodeSample(bytes);
  if (text === null) return false;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isC0 = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
    if (isC0 || code === 0x7f || (code >= 0x80 && code <= 0x9f) || code === 0xfffd) controls++;
  }
  return controls <= text.length * MAX_CONTROL_RATIO;
}

function decodeSample(bytes: Uint8Array, length = TEXT_SAMPLE_BYTES): string | null {
  const sample = bytes.subarray(0, length);
  const utf16 = detectUtf16Bom(sample) ?? guessUtf16WithoutBom(sample);
  // `stream: true` keeps a multi-byte character cut off by the sample boundary from failing the check.
  if (utf16) return new TextDecoder(utf16).decode(sample, { stream: true });
  if (sample.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return decodeWindows1252(sample);
  }
}

export interface ZipEntry {
  name: string;
  /** As declared by the archive; a hostile archive can lie, so treat it as a lower bound for limits. */
  uncompressedSize: number;
}

/**
 * Lists the entries of a ZIP archive without inflating anything: from the central directory when the end record
 * can be found (including ZIP64), otherwise by walking the local file headers from the start.
 */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return readCentralDirectory(bytes, view) ?? readLocalHeaders(bytes, view);
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

function readCentralDirectory(bytes: Uint8Array, view: DataView): ZipEntry[] | null {
  // The end record is 22 bytes plus a comment of up to 64 KiB, so it is searched for backwards from the end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;

  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const locator = eocd - 20;
  if (offset === 0xffffffff && locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64 = Number(view.getBigUint64(locator + 8, true));
    if (zip64 + 56 > bytes.length || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) return null;
    count = Number(view.getBigUint64(zip64 + 32, true));
    offset = Number(view.getBigUint64(zip64 + 48, true));
  }

  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < Math.min(count, MAX_ZIP_ENTRIES); i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL_HEADER_SIGNATURE) break;
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const extra = p + 46 + nameLength;
    const sizes = zip64Sizes(view, extra, extra + extraLength, view.getUint32(p + 24, true), 0);
    entries.push({
      name: decodeZipName(bytes.subarray(p + 46, p + 46 + nameLength)),
      uncompressedSize: sizes.uncompressed,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries.length > 0 ? entries : null;
}

function readLocalHeaders(bytes: Uint8Array, view: DataView): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  while (entries.length < MAX_ZIP_ENTRIES && p + 30 <= bytes.length) {
    if (view.getUint32(p, true) !== LOCAL_HEADER_SIGNATURE) break;
    const flags = view.getUint16(p + 6, true);
    const nameLength = view.getUint16(p + 26, true);
    const extraLength = view.getUint16(p + 28, true);
    const extra = p + 30 + nameLength;
    const sizes = zip64Sizes(
      view,
      extra,
      extra + extraLength,
      view.getUint32(p + 22, true),
      view.getUint32(p + 18, true),
    );
    entries.push({
      name: decodeZipName(bytes.subarray(p + 30, extra)),
      uncompressedSize: sizes.uncompressed,
    });
    // With a data descriptor (flag bit 3) the sizes come after the data, so the next header cannot be found.
    if (flags & 0x08) break;
    p = extra + extraLength + sizes.compressed;
  }
  return entries;
}

/** ZIP64 keeps sizes that do not fit in 32 bits in extra field 1: the uncompressed size first, then the compressed. */
function zip64Sizes(
  view: DataView,
  start: number,
  end: number,
  uncompressed: number,
  compressed: number,
): { uncompressed: number; compressed: number } {
  const limit = Math.min(end, view.byteLength);
  for (let p = start; p + 4 <= limit; p += 4 + view.getUint16(p + 2, true)) {
    if (view.getUint16(p, true) !== 0x0001) continue;
    const fieldEnd = Math.min(limit, p + 4 + view.getUint16(p + 2, true));
    let q = p + 4;
    const next = (fallback: number) => {
      if (q + 8 > fieldEnd) return fallback;
      const value = Number(view.getBigUint64(q, true));
      q += 8;
      return value;
    };
    const u = uncompressed === 0xffffffff ? next(uncompressed) : uncompressed;
    const c = compressed === 0xffffffff ? next(compressed) : compressed;
    return { uncompressed: u, compressed: c };
  }
  return { uncompressed, compressed };
}

/** Names are UTF-8 or CP437; the ones that matter here are ASCII. Some Windows tools write backslashes. */
const decodeZipName = (raw: Uint8Array): string => new TextDecoder().decode(raw).replaceAll('\\', '/');

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((byte, i) => bytes[offset + i] === byte);
}

function indexOf(bytes: Uint8Array, needle: readonly number[], window: number): number {
  const end = Math.min(bytes.length, window) - needle.length;
  for (let i = 0; i <= end; i++) {
    if (startsWith(bytes, needle, i)) return i;
  }
  return -1;
}
