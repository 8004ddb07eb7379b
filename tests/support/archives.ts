import { gzipSync } from 'node:zlib';
import { strToU8, type Zippable, zipSync } from 'fflate';

/**
 * Archives made in tests: zips through fflate (which can set Unix modes, so symlinks are possible), tars written by
 * hand from the POSIX ustar layout (links, devices, pax and GNU long-name headers included), gzipped by node's zlib.
 */

export interface TarEntry {
  name: string;
  content?: string | Uint8Array;
  /** '0' file, '1' hard link, '2' symlink, '3' char device, '5' directory, 'x' pax header, 'L' GNU long name. */
  type?: string;
  linkname?: string;
  /** Write a wrong checksum. */
  badChecksum?: boolean;
}

const enc = (s: string | Uint8Array) => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(entry: TarEntry, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number, max: number) => h.set(enc(text).subarray(0, max), at);
  put(entry.name, 0, 100);
  put(octal(entry.type === '5' ? 0o755 : 0o644, 8), 100, 8);
  put(octal(1000, 8), 108, 8);
  put(octal(1000, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(1_700_000_000, 12), 136, 12);
  put('        ', 148, 8);
  put(entry.type ?? '0', 156, 1);
  put(entry.linkname ?? '', 157, 100);
  put('ustar\u000000', 257, 8);
  put('dev', 265, 32);
  put('dev', 297, 32);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${(entry.badChecksum ? sum + 1 : sum).toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

export function tar(entries: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const content = enc(entry.content ?? '');
    parts.push(header(entry, content.length), content, new Uint8Array((512 - (content.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return new Uint8Array(Buffer.concat(parts));
}

export const tarGz = (entries: readonly TarEntry[]): Uint8Array => new Uint8Array(gzipSync(tar(entries)));

/** A pax extended header that sets the next entry's path. */
export function paxPath(path: string): TarEntry {
  const body = (length: number) => `${length} path=${path}\n`;
  let length = body(0).length;
  while (body(length).length !== length) length = body(length).length;
  return { name: 'PaxHeader/x', type: 'x', content: body(length) };
}

/**
 * A tar.gz whose pax header has a million digits before its first space (a few kB gzipped): a length prefix no honest
 * archive has, which once overflowed the reader's call stack.
 */
export function paxLengthBomb(): Uint8Array {
  const digits = new Uint8Array(1_000_000).fill(0x31);
  digits[digits.length - 2] = 0x20;
  return tarGz([
    { name: 'PaxHeader/x', type: 'x', content: digits },
    { name: 'app/main.py', content: 'print(1)\n' },
  ]);
}

/** Files as text; `symlinks` are added as Unix symbolic links (mode 120777) pointing at their target. */
export function zip(
  files: Record<string, string | Uint8Array>,
  symlinks: Record<string, string> = {},
): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) zippable[name] = enc(content);
  for (const [name, target] of Object.entries(symlinks)) {
    zippable[name] = [strToU8(target), { os: 3, attrs: (0o120777 << 16) >>> 0, level: 0 }];
  }
  return zipSync(zippable);
}
