import { AppError } from '../core/app-error';
import { badEncryption, streamDecryptors } from './pdf-decrypt';
import { nameOf, ObjectIndex, type PdfValue } from './pdf-lexer';
import { StreamEnds } from './pdf-stream-ends';
import { DECODERS, type Decoded, IMAGE_CODECS, OverBudget } from './pdf-stream-filters';

/**
 * pdf.js inflates every stream it reads (a page's content, a font, an object stream) in full and in one step, and has
 * no limit of its own: a 300 KB PDF whose content stream inflates to 300 MB took the process past 600 MB within one
 * page, where the memory guard between pages cannot see it. So before pdf.js is given the file, every stream is
 * decoded here through its filters (Flate, LZW, ASCIIHex, ASCII85, RunLength, Brotli; read from /F before /Filter, and
 * names it does not know passed over, both as pdf.js does; image codecs are left to pdf.js, which decodes an image
 * only as far as its declared width and height, and refuses those over 4 MP), counting the bytes
 * each filter puts out, and the file is refused (413 `file_too_large`) as soon as the count passes the limit: a bomb
 * costs at most the limit in time and nothing held. A stream is read from the `N G obj` header pdf.js itself starts
 * from, to where `pdf-stream-ends.ts` says it ends: never less than pdf.js reads.
 *
 * The bytes read (once per decryption tried) are counted too: streams whose ends overlap (thousands that all run to
 * one distant `endstream`) would make the check quadratic, so past a few times the file's size it is refused as
 * damaged (422 `corrupt_file`).
 * An encrypted PDF's streams are decrypted first, as pdf.js would (`pdf-decrypt.ts`).
 */
export const MAX_PDF_DECODED_BYTES = 128 * 1024 * 1024;

export interface StreamScan {
  streams: number;
  decodedBytes: number;
  /** Stream bytes read, and read again for each decryption tried: the work the check did. */
  scannedBytes: number;
}

export async function checkPdfStreams(
  bytes: Uint8Array,
  limitBytes = MAX_PDF_DECODED_BYTES,
): Promise<StreamScan> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pdf = new ObjectIndex(text);
  const streams: Array<{ dict: Map<string, PdfValue>; start: number; num: number; gen: number }> = [];
  const trailers: Array<{ at: number; dict: Map<string, PdfValue> }> = [];
  for (const { at, num, gen } of pdf.headers) {
    const lexer = pdf.lexer(at);
    const dict = lexer.value();
    if (!(dict instanceof Map)) continue;
    const start = lexer.streamStart();
    if (start === null) continue;
    streams.push({ dict, start, num, gen });
    if (nameOf(dict.get('Type')) === 'XRef') trailers.push({ at, dict });
  }
  for (const match of text.matchAll(/trailer/g)) {
    const dict = pdf.lexer(match.index + 7).value();
    if (dict instanceof Map) trailers.push({ at: match.index, dict });
  }
  const decryptors = streamDecryptors(
    pdf,
    trailers.sort((a, b) => a.at - b.at).map((t) => t.dict),
  );

  const scan: StreamScan = { streams: 0, decodedBytes: 0, scannedBytes: 0 };
  const ends = new StreamEnds(text, pdf.headers);
  const workLimit = (4 * bytes.length + 1024 * 1024) * (1 + decryptors.length);
  for (const { dict, start, num, gen } of streams) {
    // pdf.js reads a stream's filters from /F when it has one (meant for external files), else from /Filter.
    const filters = filterNames(pdf, dict.has('F') ? dict.get('F') : dict.get('Filter'));
    if (!decodes(filters, 0)) continue;
    scan.streams++;
    const data = bytes.subarray(start, ends.end(start, pdf.resolve(dict.get('Length'))));
    // Cross-reference streams are never encrypted; any other may be, and is read both ways: the larger counts.
    const decrypts = nameOf(dict.get('Type')) === 'XRef' ? [] : decryptors;
    scan.scannedBytes += data.length * (1 + decrypts.length);
    if (scan.scannedBytes > workLimit) throw tooMuchWork(bytes.length, scan.scannedBytes);
    const budget = limitBytes - scan.decodedBytes;
    try {
      let produced = await decodeChain(data, filters, budget);
      for (const decrypt of decrypts) {
        let plain: Uint8Array;
        try {
          plain = decrypt(data, num, gen);
        } catch (error) {
          throw badEncryption(error);
        }
        produced = Math.max(produced, await decodeChain(plain, filters, budget));
      }
      scan.decodedBytes += produced;
    } catch (error) {
      if (error instanceof OverBudget) throw tooLarge(limitBytes, scan.decodedBytes + error.producedBytes);
      throw error;
    }
  }
  return scan;
}

/** Whether a filter from `from` on decodes: an image codec ends the chain; names not known are passed over. */
function decodes(filters: readonly string[], from: number): boolean {
  for (const name of filters.slice(from)) {
    if (IMAGE_CODECS.has(name)) return false;
    if (DECODERS[name]) return true;
  }
  return false;
}

/** The bytes a stream's filters put out, all stages counted; `OverBudget` past `budget`. */
async function decodeChain(data: Uint8Array, filters: readonly string[], budget: number): Promise<number> {
  let produced = 0;
  let input = data;
  for (const [i, name] of filters.entries()) {
    if (IMAGE_CODECS.has(name)) break;
    const decoder = DECODERS[name];
    // pdf.js passes a filter it does not know ("not supported") through unchanged, and goes on with the next.
    if (!decoder) continue;
    const keep = decodes(filters, i + 1);
    let decoded: Decoded;
    try {
      decoded = await decoder(input, budget - produced, keep);
    } catch (error) {
      if (error instanceof OverBudget) throw new OverBudget(produced + error.producedBytes);
      throw error;
    }
    produced += decoded.produced;
    if (!decoded.out) break;
    input = decoded.out;
  }
  return produced;
}

function tooLarge(limitBytes: number, decodedBytes: number): AppError {
  return new AppError(
    'payload_too_large',
    'file_too_large',
    `The PDF expands to more than ${limitBytes / (1024 * 1024)} MB when its compressed contents are unpacked.`,
    { details: { limitBytes, decodedBytes } },
  );
}

function tooMuchWork(fileBytes: number, scannedBytes: number): AppError {
  return new AppError('unprocessable', 'corrupt_file', 'The PDF file is damaged and cannot be read.', {
    details: { reason: 'its streams overlap too much to be told apart', fileBytes, scannedBytes },
  });
}

/** The filter names of a stream, following an indirect /Filter or indirect names in its array. */
function filterNames(pdf: ObjectIndex, value: PdfValue | undefined): string[] {
  const filter = pdf.resolve(value);
  const list = Array.isArray(filter) ? filter : [filter];
  return list.map((item) => nameOf(pdf.resolve(item)) ?? '?');
}
