import type { Transform } from 'node:stream';
import {
  brotliDecompressSync,
  constants,
  createBrotliDecompress,
  createInflate,
  inflateSync,
} from 'node:zlib';

/**
 * The PDF stream filters that can expand what they are given, decoded with a budget of output bytes
 * (`pdf-streams.ts` says why). Each returns how many bytes it produced and, when asked to `keep` them (another filter
 * follows), the bytes; past the budget it stops and throws `OverBudget`, holding at most about the budget.
 */

export class OverBudget extends Error {
  constructor(readonly producedBytes: number) {
    super(`decoded past the budget (${producedBytes} bytes)`);
  }
}

export interface Decoded {
  produced: number;
  out: Uint8Array | null;
}

export type Decoder = (data: Uint8Array, budget: number, keep: boolean) => Promise<Decoded>;

/** Output up to this is inflated in one call (a resume's streams all are); beyond it, through zlib's stream. */
const ONE_CALL_BYTES = 8 * 1024 * 1024;
const NOT_ZLIB = new Set(['incorrect header check', 'unknown compression method', 'invalid window size']);

/**
 * FlateDecode. Up to 8 MiB of output is inflated in one call (zlib stops there); more goes through zlib's stream,
 * counted chunk by chunk and destroyed as soon as it passes the budget, so a bomb costs at most the budget in time and nothing held. Damaged
 * data counts what it gave before the damage (pdf.js may well have used that much), less what zlib had not handed
 * over yet when it failed: under one chunk, and pdf.js drops a stream that fails, so that much is never held for long.
 */
export const flate: Decoder = async (data, budget, keep) => {
  try {
    const out = inflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: ONE_CALL_BYTES });
    if (out.length > budget) throw new OverBudget(out.length);
    return { produced: out.length, out: keep ? out : null };
  } catch (error) {
    if (error instanceof OverBudget) throw error;
    // Not zlib data from its first bytes (an encrypted PDF's streams, as stored): nothing comes out, for pdf.js either.
    if (error instanceof Error && NOT_ZLIB.has(error.message))
      return { produced: 0, out: keep ? new Uint8Array() : null };
    // Larger than one call takes, or damaged: the stream counts it, and how much came out before the damage.
  }
  return streamed(
    createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: STREAM_CHUNK }),
    data,
    budget,
    keep,
  );
};

/** BrotliDecode (pdf.js 5 reads it), bounded as Flate is: one call up to 8 MiB, then node's stream, counted. */
export const brotli: Decoder = async (data, budget, keep) => {
  try {
    const out = brotliDecompressSync(data, { maxOutputLength: ONE_CALL_BYTES });
    if (out.length > budget) throw new OverBudget(out.length);
    return { produced: out.length, out: keep ? out : null };
  } catch (error) {
    if (error instanceof OverBudget) throw error;
  }
  return streamed(createBrotliDecompress({ chunkSize: STREAM_CHUNK }), data, budget, keep);
};

const STREAM_CHUNK = 64 * 1024;

/** Runs `data` through a zlib stream, counting its output, destroyed as soon as the count passes the budget. */
function streamed(decoder: Transform, data: Uint8Array, budget: number, keep: boolean): Promise<Decoded> {
  return new Promise<Decoded>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let produced = 0;
    const done = () => resolve({ produced, out: keep ? Buffer.concat(chunks) : null });
    decoder.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > budget) {
        decoder.destroy();
        reject(new OverBudget(produced));
      } else if (keep) chunks.push(chunk);
    });
    decoder.on('error', done);
    decoder.on('end', done);
    decoder.end(data);
  });
}

/** Bytes written to a buffer that grows by doubling, up to the budget, or only counted. */
class Output {
  produced = 0;
  private bytes: Uint8Array;

  constructor(
    private readonly budget: number,
    private readonly keep: boolean,
  ) {
    this.bytes = new Uint8Array(keep ? Math.min(budget, 64 * 1024) : 0);
  }

  push(byte: number, times = 1): void {
    if (this.produced + times > this.budget) throw new OverBudget(this.produced + times);
    if (this.keep) {
      if (this.produced + times > this.bytes.length) {
        const grown = new Uint8Array(
          Math.min(this.budget, Math.max(this.bytes.length * 2, this.produced + times)),
        );
        grown.set(this.bytes.subarray(0, this.produced));
        this.bytes = grown;
      }
      this.bytes.fill(byte, this.produced, this.produced + times);
    }
    this.produced += times;
  }

  done(): Decoded {
    return { produced: this.produced, out: this.keep ? this.bytes.subarray(0, this.produced) : null };
  }
}

const isPdfSpace = (byte: number) =>
  byte === 0 || byte === 9 || byte === 10 || byte === 12 || byte === 13 || byte === 32;

const HEX = Int8Array.from({ length: 256 }, (_, byte) => {
  const digit = '0123456789abcdef'.indexOf(String.fromCharCode(byte).toLowerCase());
  return byte < 128 ? digit : -1;
});

export const asciiHex: Decoder = async (data, budget, keep) => {
  const out = new Output(budget, keep);
  let high = -1;
  for (const byte of data) {
    if (byte === 0x3e) break; // '>' ends the data
    if (isPdfSpace(byte)) continue;
    const digit = HEX[byte] ?? -1;
    if (digit < 0) break;
    if (high < 0) high = digit;
    else {
      out.push((high << 4) | digit);
      high = -1;
    }
  }
  if (high >= 0) out.push(high << 4);
  return out.done();
};

export const ascii85: Decoder = async (data, budget, keep) => {
  const out = new Output(budget, keep);
  const group: number[] = [];
  const flush = (count: number) => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count; i++) out.push((value >>> (24 - 8 * i)) & 0xff);
    group.length = 0;
  };
  for (const byte of data) {
    if (byte === 0x7e) break; // '~>' ends the data
    if (isPdfSpace(byte)) continue;
    if (byte === 0x7a && group.length === 0)
      out.push(0, 4); // 'z': four zero bytes
    else if (byte >= 0x21 && byte <= 0x75) {
      group.push(byte - 0x21);
      if (group.length === 5) flush(4);
    } else break;
  }
  if (group.length > 1) flush(group.length - 1);
  return out.done();
};

export const runLength: Decoder = async (data, budget, keep) => {
  const out = new Output(budget, keep);
  let i = 0;
  while (i < data.length) {
    const length = data[i++] ?? 128;
    if (length === 128) break;
    if (length < 128) {
      for (const byte of data.subarray(i, i + length + 1)) out.push(byte);
      i += length + 1;
    } else out.push(data[i++] ?? 0, 257 - length);
  }
  return out.done();
};

/**
 * LZWDecode, codes of 9 to 12 bits, most significant bit first. Whether the code width grows one code early
 * (/EarlyChange, 1 unless the stream says 0) is not read from the dictionary: both readings are decoded and the larger
 * counts, since a wrong reading turns to garbage and stops.
 */
export const lzw: Decoder = async (data, budget, keep) => {
  const early = lzwWith(data, budget, keep, 1);
  const late = lzwWith(data, budget, keep, 0);
  return early.produced >= late.produced ? early : late;
};

function lzwWith(data: Uint8Array, budget: number, keep: boolean, earlyChange: 0 | 1): Decoded {
  const out = new Output(budget, keep);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Int32Array(4096);
  const first = new Uint8Array(4096);
  for (let c = 0; c < 256; c++) {
    suffix[c] = c;
    first[c] = c;
    length[c] = 1;
  }
  const scratch = new Uint8Array(4096);
  let next = 258;
  let width = 9;
  let previous = -1;
  let bitBuffer = 0;
  let bits = 0;
  let at = 0;
  const write = (code: number) => {
    const n = length[code] ?? 0;
    if (!keep) {
      out.push(0, n);
      return;
    }
    for (let i = n - 1, c = code; i >= 0; i--, c = prefix[c] ?? 0) scratch[i] = suffix[c] ?? 0;
    for (let i = 0; i < n; i++) out.push(scratch[i] ?? 0);
  };
  while (true) {
    while (bits < width && at < data.length) {
      bitBuffer = ((bitBuffer << 8) | (data[at++] ?? 0)) & 0xffffff;
      bits += 8;
    }
    if (bits < width) break;
    const code = (bitBuffer >>> (bits - width)) & ((1 << width) - 1);
    bits -= width;
    if (code === 256) {
      next = 258;
      width = 9;
      previous = -1;
      continue;
    }
    if (code === 257) break;
    if (previous < 0) {
      if (code > 255) break;
      write(code);
      previous = code;
      continue;
    }
    if (code > next || next >= 4096) break;
    // The new entry is the previous string and the first byte of this one (of itself, when it is the new entry).
    prefix[next] = previous;
    suffix[next] = first[code === next ? previous : code] ?? 0;
    first[next] = first[previous] ?? 0;
    length[next] = (length[previous] ?? 0) + 1;
    next++;
    write(code);
    previous = code;
    if (next + earlyChange >= 1 << width && width < 12) width++;
  }
  return out.done();
}

/** The decoders by filter name, abbreviations (inline images use them) included. */
export const DECODERS: Record<string, Decoder> = {
  FlateDecode: flate,
  Fl: flate,
  LZWDecode: lzw,
  LZW: lzw,
  ASCIIHexDecode: asciiHex,
  AHx: asciiHex,
  ASCII85Decode: ascii85,
  A85: ascii85,
  RunLengthDecode: runLength,
  RL: runLength,
  BrotliDecode: brotli,
};

/**
 * Image codecs: pdf.js decodes an image only as far as its declared size (and refuses those over 4 MP), so a chain
 * stops at one. Any other name pdf.js does not know it passes through unchanged ("not supported"), and so does this.
 */
export const IMAGE_CODECS = new Set([
  'DCTDecode',
  'DCT',
  'JPXDecode',
  'JPX',
  'CCITTFaxDecode',
  'CCF',
  'JBIG2Decode',
]);
