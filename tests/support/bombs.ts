import { constants, crc32, createBrotliCompress, deflateSync, inflateRawSync } from 'node:zlib';

/**
 * Decompression bombs made in tests without ever holding what they expand to: deflate data written bit by bit. The
 * run is one dynamic-Huffman block with two literal/length codes of one bit each (end of block, and "copy 258 bytes")
 * and one distance code ("1 back"), so each 258 bytes of output cost two bits of input: about 1,000 to 1, what zlib
 * itself reaches at level 9 on a run of one byte. The text before and after is written as fixed-Huffman literals.
 */

class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  /** `count` bits of `value`, least significant first (how deflate stores everything but Huffman codes). */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.current |= ((value >>> i) & 1) << this.used;
      if (++this.used === 8) this.flush();
    }
  }

  /** A Huffman code of `length` bits, most significant first. */
  code(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }

  private flush(): void {
    this.bytes.push(this.current);
    this.current = 0;
    this.used = 0;
  }

  done(): Uint8Array {
    if (this.used > 0) this.flush();
    return Uint8Array.from(this.bytes);
  }
}

/** A literal byte in a fixed-Huffman block (RFC 1951, 3.2.6). */
function fixedLiteral(out: BitWriter, byte: number): void {
  if (byte < 144) out.code(0x30 + byte, 8);
  else out.code(0x190 + byte - 144, 9);
}

function fixedBlock(out: BitWriter, bytes: Uint8Array, final: boolean): void {
  out.bits(final ? 1 : 0, 1);
  out.bits(1, 2); // fixed Huffman codes
  for (const byte of bytes) fixedLiteral(out, byte);
  out.code(0, 7); // end of block
}

/** The dynamic block of the run: `copies` times "copy 258 bytes from 1 back". */
function runBlock(out: BitWriter, copies: number): void {
  out.bits(0, 1); // not final
  out.bits(2, 2); // dynamic Huffman codes
  out.bits(286 - 257, 5); // literal/length codes 0..285
  out.bits(0, 5); // one distance code
  out.bits(18 - 4, 4); // code length codes, up to symbol 1 in the format's order
  // Code length code lengths, in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: only 18 and 1, one bit each.
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  for (const symbol of order) out.bits(symbol === 18 || symbol === 1 ? 1 : 0, 3);
  // Canonical codes: symbol 1 is "0", symbol 18 (a run of 11..138 zero lengths, 7 extra bits) is "1".
  const zeros = (n: number) => {
    out.code(1, 1);
    out.bits(n - 11, 7);
  };
  zeros(138); // literals 0..137
  zeros(118); // literals 138..255
  out.code(0, 1); // 256, end of block: length 1
  zeros(28); // 257..284
  out.code(0, 1); // 285, a copy of 258 bytes: length 1
  out.code(0, 1); // distance code 0 (1 back): length 1
  // Canonical: 256 is "0", 285 is "1"; the one distance code is "0".
  for (let i = 0; i < copies; i++) {
    out.code(1, 1);
    out.code(0, 1);
  }
  out.code(0, 1); // end of block
}

/**
 * Raw deflate data that inflates to `prefix`, then `fill` repeated until the run is `runBytes` long (rounded down to
 * the nearest 258 after its first byte), then `suffix`. Returns the data and the exact length it inflates to.
 */
export function deflateBomb(
  prefix: Uint8Array,
  fill: number,
  runBytes: number,
  suffix: Uint8Array,
): { data: Uint8Array; inflatedBytes: number } {
  const copies = Math.floor((runBytes - 1) / 258);
  const out = new BitWriter();
  const head = new Uint8Array(prefix.length + 1);
  head.set(prefix);
  head[prefix.length] = fill;
  fixedBlock(out, head, false);
  runBlock(out, copies);
  fixedBlock(out, suffix, true);
  return { data: out.done(), inflatedBytes: prefix.length + 1 + copies * 258 + suffix.length };
}

/**
 * The same in a zlib wrapper, as a PDF's FlateDecode stream holds it. The Adler-32 at the end is computed for bombs of
 * up to 16 MB; past that it is left at zero (computing it would mean producing the output, and pdf.js does not check
 * it), so zlib itself fails the stream at its very end.
 */
export function zlibBomb(
  prefix: Uint8Array,
  fill: number,
  runBytes: number,
  suffix: Uint8Array,
): { data: Uint8Array; inflatedBytes: number } {
  const raw = deflateBomb(prefix, fill, runBytes, suffix);
  const data = new Uint8Array(raw.data.length + 6);
  data.set([0x78, 0x9c]);
  data.set(raw.data, 2);
  if (raw.inflatedBytes <= 16 * 1024 * 1024) {
    new DataView(data.buffer).setUint32(data.length - 4, adler32(inflateRawSync(raw.data)));
  }
  return { data, inflatedBytes: raw.inflatedBytes };
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const encode = (text: string) => new TextEncoder().encode(text);

interface ZipPart {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  crc: number;
  /** The uncompressed size the headers declare: the truth, or a lie. */
  declaredBytes: number;
}

/** A zip written field by field, so that its headers can say what a test wants them to say. */
function writeZip(parts: readonly ZipPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = encode(part.name);
    const local = new Uint8Array(30 + name.length);
    const view = new DataView(local.buffer);
    view.setUint32(0, 0x04034b50, true);
    view.setUint16(4, 20, true);
    view.setUint16(8, part.method, true);
    view.setUint32(14, part.crc, true);
    view.setUint32(18, part.data.length, true);
    view.setUint32(22, part.declaredBytes, true);
    view.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const ev = new DataView(entry.buffer);
    ev.setUint32(0, 0x02014b50, true);
    ev.setUint16(4, 20, true);
    ev.setUint16(6, 20, true);
    ev.setUint16(10, part.method, true);
    ev.setUint32(16, part.crc, true);
    ev.setUint32(20, part.data.length, true);
    ev.setUint32(24, part.declaredBytes, true);
    ev.setUint16(28, name.length, true);
    ev.setUint32(42, offset, true);
    entry.set(name, 46);
    chunks.push(local, part.data);
    central.push(entry);
    offset += local.length + part.data.length;
  }
  const directorySize = central.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, parts.length, true);
  endView.setUint16(10, parts.length, true);
  endView.setUint32(12, directorySize, true);
  endView.setUint32(16, offset, true);
  return new Uint8Array(Buffer.concat([...chunks, ...central, end]));
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX_STORED: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
    '</Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
    '</Relationships>',
};

/**
 * A DOCX whose word/document.xml is one paragraph of `text` followed by spaces, inflating to about `inflatedBytes`,
 * while its headers declare `declaredBytes`. Declaring the truth (the default) makes a file refused for its size, or
 * read if it is small enough (its CRC-32 is then the real one); declaring less makes a liar, whose CRC-32 is left at
 * zero (computing it would mean producing the output). `extraParts` adds that many copies of the part under other
 * names, for a package too large in all though each part is not.
 */
export function docxBomb(options: {
  text: string;
  inflatedBytes: number;
  declaredBytes?: number;
  extraParts?: number;
}): { docx: Uint8Array; inflatedBytes: number } {
  const body = deflateBomb(
    encode(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W_NS}"><w:body><w:p><w:r><w:t>${options.text}`,
    ),
    0x20,
    options.inflatedBytes,
    encode('</w:t></w:r></w:p></w:body></w:document>'),
  );
  const stored = Object.entries(DOCX_STORED).map(([name, xml]): ZipPart => {
    const data = encode(xml);
    return { name, data, method: 0, crc: crc32(data), declaredBytes: data.length };
  });
  const honest = options.declaredBytes === undefined;
  const crc = honest && body.inflatedBytes <= 16 * 1024 * 1024 ? crc32(inflateRawSync(body.data)) : 0;
  const part = (name: string): ZipPart => ({
    name,
    data: body.data,
    method: 8,
    crc,
    declaredBytes: options.declaredBytes ?? body.inflatedBytes,
  });
  const extra = Array.from({ length: options.extraParts ?? 0 }, (_, i) => part(`word/media/copy${i}.xml`));
  return {
    docx: writeZip([...stored, part('word/document.xml'), ...extra]),
    inflatedBytes: body.inflatedBytes,
  };
}

/** How a PDF's bomb stream is encoded: its /Filter value and the bytes that go between `stream` and `endstream`. */
export type PdfBombEncoding =
  | 'flate'
  | 'hex-then-flate'
  | 'flate-twice'
  | 'decoy-filter'
  | 'indirect-filter'
  | 'f-key'
  | 'unknown-then-flate'
  | 'flate-unknown-flate';

/**
 * A one-page PDF whose content stream draws `text` and then pads with spaces to about `inflatedBytes`: pdf.js would
 * inflate all of it to read the page. `encoding` wraps the bomb the ways a filter chain allows; `decoy-filter` puts a
 * harmless /Filter in a nested dictionary before the real one, and `indirect-filter` names the filter and the length
 * through other objects; `f-key` names the filter with /F (pdf.js reads /F before /Filter); `unknown-then-flate` and
 * `flate-unknown-flate` put a filter name pdf.js does not know (and passes the data through) in the chain.
 */
export function pdfBomb(
  options: { text: string; inflatedBytes: number; encoding?: PdfBombEncoding },
  brotli?: Uint8Array,
): {
  pdf: Uint8Array;
  inflatedBytes: number;
} {
  const bomb = zlibBomb(
    encode(`BT /F1 12 Tf 72 720 Td (${options.text}) Tj ET\n`),
    0x20,
    options.inflatedBytes,
    encode('\n'),
  );
  let filter = '/FlateDecode';
  let filterKey = '/Filter';
  let data: Uint8Array = bomb.data;
  switch (options.encoding ?? 'flate') {
    case 'hex-then-flate':
      filter = '[/ASCIIHexDecode /FlateDecode]';
      data = encode(`${Buffer.from(bomb.data).toString('hex')}>`);
      break;
    case 'flate-twice':
      filter = '[/FlateDecode /FlateDecode]';
      data = deflateSync(bomb.data);
      break;
    case 'indirect-filter':
      filter = '6 0 R';
      break;
    case 'f-key':
      filterKey = '/F';
      break;
    case 'unknown-then-flate':
      filter = '[/NoSuchDecode /FlateDecode]';
      break;
    case 'flate-unknown-flate':
      filter = '[/FlateDecode /NoSuchDecode /FlateDecode]';
      data = deflateSync(bomb.data);
      break;
    case 'decoy-filter':
    case 'flate':
      break;
  }
  if (brotli) {
    filter = '/BrotliDecode';
    data = brotli;
  }
  const decoy = options.encoding === 'decoy-filter' ? '/Decoy << /Filter /ASCIIHexDecode >> ' : '';
  const indirect = options.encoding === 'indirect-filter';
  const length = indirect ? '7 0 R' : String(data.length);
  const objects: Array<string | Uint8Array[]> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    [encode(`<< ${decoy}/Length ${length} ${filterKey} ${filter} >>\nstream\n`), data, encode('\nendstream')],
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(indirect ? ['[/FlateDecode]', String(data.length)] : []),
  ];
  const chunks: Uint8Array[] = [encode('%PDF-1.4\n')];
  let position = chunks[0]?.length ?? 0;
  const offsets: number[] = [];
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    position += chunk.length;
  };
  objects.forEach((body, i) => {
    offsets.push(position);
    push(encode(`${i + 1} 0 obj\n`));
    for (const chunk of typeof body === 'string' ? [encode(body)] : body) push(chunk);
    push(encode('\nendobj\n'));
  });
  const xref = position;
  const rows = offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  push(
    encode(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  );
  return { pdf: new Uint8Array(Buffer.concat(chunks)), inflatedBytes: bomb.inflatedBytes };
}

/**
 * `pdfBomb`'s page with its content stream Brotli-compressed (pdf.js 5 reads /BrotliDecode), compressed a MiB at a
 * time so the run is never held: about 5,000 to 1 at quality 1, where deflate's bit-by-bit trick is not needed.
 */
export async function pdfBrotliBomb(options: { text: string; inflatedBytes: number }): Promise<{
  pdf: Uint8Array;
  inflatedBytes: number;
}> {
  const head = encode(`BT /F1 12 Tf 72 720 Td (${options.text}) Tj ET\n`);
  const compressor = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
  const out: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => {
    compressor.on('end', resolve);
    compressor.on('error', reject);
  });
  const write = async (chunk: Uint8Array) => {
    if (!compressor.write(chunk)) await new Promise((resolve) => compressor.once('drain', resolve));
  };
  await write(head);
  const run = Buffer.alloc(1024 * 1024, 0x20);
  let left = Math.max(0, options.inflatedBytes - head.length - 1);
  while (left > 0) {
    const size = Math.min(left, run.length);
    await write(run.subarray(0, size));
    left -= size;
  }
  compressor.end(encode('\n'));
  await ended;
  const { pdf } = pdfBomb({ text: options.text, inflatedBytes: 1024 }, Buffer.concat(out));
  return { pdf, inflatedBytes: Math.max(options.inflatedBytes, head.length + 1) };
}

/**
 * How far the process's peak resident memory rose while `run` ran (`getrusage`'s high-water mark, so even a spike
 * between two samples counts). It can only under-report (a new peak below the old one does not show), never
 * over-report, so a ceiling on it does not fail because of what ran before.
 */
export async function peakGrowth(
  run: () => Promise<unknown>,
): Promise<{ outcome: PromiseSettledResult<unknown>; grownBytes: number }> {
  const before = process.resourceUsage().maxRSS;
  const [outcome] = await Promise.allSettled([run()]);
  return {
    outcome: outcome as PromiseSettledResult<unknown>,
    grownBytes: (process.resourceUsage().maxRSS - before) * 1024,
  };
}
