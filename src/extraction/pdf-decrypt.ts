import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { AppError } from '../core/app-error';
import { nameOf, type ObjectIndex, type PdfString, type PdfValue } from './pdf-lexer';

/**
 * An encrypted PDF's streams, decrypted as pdf.js decrypts them, so that `pdf-streams.ts` can bound what they inflate
 * to. Only the standard security handler with an empty user password matters: with any other password pdf.js stops
 * at "password-protected" (422 `encrypted_pdf`) before reading a stream. RC4 and AES-128 (revisions 2 to 4, ISO 32000-1
 * 7.6.3.3, algorithm 2) and AES-256 (revisions 5 and 6, ISO 32000-2 7.6.4.3.3, algorithm 2.B).
 */
export type StreamDecryptor = (data: Uint8Array, num: number, gen: number) => Uint8Array;

const PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...parts: Uint8Array[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const bytesOf = (value: PdfValue | undefined): Uint8Array | null =>
  typeof value === 'object' && value !== null && 'str' in value ? (value as PdfString).str : null;

/**
 * The decryptors the file's trailers (and cross-reference streams) ask for. Which trailer pdf.js follows is not worked
 * out here: text that reads like a trailer can sit inside a stream, so the last few distinct ones all count.
 */
export function streamDecryptors(
  pdf: ObjectIndex,
  trailers: Array<Map<string, PdfValue>>,
): StreamDecryptor[] {
  const seen = new Set<string>();
  const found: StreamDecryptor[] = [];
  for (const trailer of [...trailers].reverse()) {
    if (!trailer.has('Encrypt') || found.length === 4) continue;
    const key = JSON.stringify([trailer.get('Encrypt'), trailer.get('ID')], (_, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v instanceof Map ? [...v] : v,
    );
    if (seen.has(key)) continue;
    seen.add(key);
    let decryptor: StreamDecryptor | null;
    try {
      decryptor = streamDecryptor(pdf, trailer);
    } catch (error) {
      throw badEncryption(error);
    }
    if (decryptor) found.push(decryptor);
  }
  return found;
}

/**
 * A crafted encryption dictionary can make a cipher throw (a key of the wrong size, a block cut short): that is a
 * damaged file (422), never a server error. pdf.js fails on such a file too, or reads garbage.
 */
export function badEncryption(cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError('unprocessable', 'corrupt_file', 'The PDF file is damaged and cannot be read.', {
    cause,
    details: { reason: 'its encryption dictionary cannot be used' },
  });
}

function streamDecryptor(pdf: ObjectIndex, trailer: Map<string, PdfValue>): StreamDecryptor | null {
  const encrypt = pdf.resolve(trailer.get('Encrypt'));
  if (!(encrypt instanceof Map) || nameOf(encrypt.get('Filter')) !== 'Standard') return null;
  const ids = pdf.resolve(trailer.get('ID'));
  const id0 = Array.isArray(ids) ? (bytesOf(pdf.resolve(ids[0])) ?? new Uint8Array()) : new Uint8Array();
  const num = (key: string) => {
    const value = pdf.resolve(encrypt.get(key));
    return typeof value === 'number' ? value : null;
  };
  const v = num('V') ?? 0;
  const r = num('R') ?? 2;
  const method = streamMethod(pdf, encrypt, v);
  if (method === 'none') return (data) => data;
  const o = bytesOf(pdf.resolve(encrypt.get('O'))) ?? new Uint8Array(48);
  const u = bytesOf(pdf.resolve(encrypt.get('U'))) ?? new Uint8Array(48);
  if (r >= 5) {
    const ue = bytesOf(pdf.resolve(encrypt.get('UE'))) ?? new Uint8Array(32);
    const salt = u.subarray(40, 48);
    const intermediate = r === 5 ? createHash('sha256').update(salt).digest() : hash2B(salt);
    if (ue.length < 32) throw new Error(`/UE holds ${ue.length} bytes, not 32`);
    const key = decipher('aes-256-cbc', intermediate, Buffer.alloc(16), ue.subarray(0, 32));
    return (data) => aes(key, data);
  }
  const length = r === 2 ? 5 : Math.min(16, Math.max(5, Math.floor((num('Length') ?? 40) / 8)));
  const permissions = Buffer.alloc(4);
  // /P is a signed 32-bit integer that many producers write unsigned (4294967292 for -4): pdf.js takes its low
  // 32 bits, as `| 0` does (a fraction is dropped too).
  permissions.writeInt32LE((num('P') ?? 0) | 0);
  const unencryptedMetadata = r >= 4 && pdf.resolve(encrypt.get('EncryptMetadata')) === false;
  let key = md5(
    PADDING,
    o.subarray(0, 32),
    permissions,
    id0,
    unencryptedMetadata ? Buffer.from([255, 255, 255, 255]) : new Uint8Array(),
  ).subarray(0, length);
  if (r >= 3) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, length);
  return (data, objectNum, gen) => {
    const id = Buffer.from([objectNum, objectNum >> 8, objectNum >> 16, gen, gen >> 8]);
    const salt = method === 'aes' ? Buffer.from('sAlT') : new Uint8Array();
    const objectKey = md5(key, id, salt).subarray(0, Math.min(length + 5, 16));
    // AES-128 takes 16 bytes; a short /Length makes a shorter object key, which pdf.js's cipher reads as zero-padded.
    return method === 'aes' ? aes(zeroPadded(objectKey, 16), data) : rc4(objectKey, data);
  };
}

/** How streams are encrypted: version 4 and up name a crypt filter (its CFM), earlier versions use RC4. */
function streamMethod(pdf: ObjectIndex, encrypt: Map<string, PdfValue>, v: number): 'rc4' | 'aes' | 'none' {
  if (v < 4) return 'rc4';
  const name = nameOf(pdf.resolve(encrypt.get('StmF'))) ?? 'Identity';
  if (name === 'Identity') return 'none';
  const filters = pdf.resolve(encrypt.get('CF'));
  const filter = filters instanceof Map ? pdf.resolve(filters.get(name)) : undefined;
  const cfm = filter instanceof Map ? nameOf(pdf.resolve(filter.get('CFM'))) : null;
  if (cfm === 'V2') return 'rc4';
  if (cfm === 'AESV2' || cfm === 'AESV3') return 'aes';
  return 'none';
}

function decipher(algorithm: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv(algorithm, key, iv);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** AES-CBC with the IV in the first 16 bytes; a ragged end (the scan may read past the stream) is cut off. */
function aes(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length < 32) return new Uint8Array();
  const body = data.subarray(16, 16 + Math.floor((data.length - 16) / 16) * 16);
  return decipher(`aes-${key.length * 8}-cbc`, key, data.subarray(0, 16), body);
}

function zeroPadded(key: Uint8Array, size: number): Uint8Array {
  if (key.length >= size) return key;
  const padded = new Uint8Array(size);
  padded.set(key);
  return padded;
}

/** RC4 (not in OpenSSL 3's default provider): the key schedule, then the keystream XORed in. */
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
    out[n] = (data[n] ?? 0) ^ (s[((s[i] ?? 0) + (s[j] ?? 0)) & 0xff] ?? 0);
  }
  return out;
}

/** Revision 6's password hash, for the empty password and the user key salt. */
function hash2B(salt: Uint8Array): Buffer {
  let k = createHash('sha256').update(salt).digest();
  let e: Buffer = Buffer.alloc(0);
  for (let round = 0; round < 64 || (e[e.length - 1] ?? 0) > round - 32; round++) {
    const k1 = Buffer.concat(Array.from({ length: 64 }, () => k));
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    e = Buffer.concat([cipher.update(k1), cipher.final()]);
    const sum = e.subarray(0, 16).reduce((total, byte) => total + byte, 0);
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3] ?? 'sha256')
      .update(e)
      .digest();
  }
  return k.subarray(0, 32);
}
