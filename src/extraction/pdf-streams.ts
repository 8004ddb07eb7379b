import { AppError } from '../core/app-error';
import { DECODERS, OverBudget } from './pdf-stream-filters';

/**
 * pdf.js inflates every stream it reads (a page's content, a font, an object stream) in full and in one step, and has
 * no limit of its own: a 300 KB PDF whose content stream inflates to 300 MB took the process past 600 MB within one
 * page, where the memory guard between pages cannot see it. So before pdf.js is given the file, every stream is
 * decoded here through its filters (Flate, LZW, ASCIIHex, ASCII85, RunLength; image codecs are left to pdf.js, which
 * decodes an image only as far as its declared width and height, and refuses those over 4 MP), counting the bytes
 * each filter puts out, and the file is refused (413 `file_too_large`) as soon as the count passes the limit: a bomb
 * costs at most the limit in time and nothing held. A stream is read from the `N G obj` header pdf.js itself starts
 * from, up to the first `endstream` at or after its declared /Length: never less than pdf.js reads.
 *
 * Not covered: encrypted PDFs (their streams are decrypted by pdf.js; here they are ciphertext, which decodes to
 * nothing) are bounded only by the memory guard between pages.
 */
export const MAX_PDF_DECODED_BYTES = 128 * 1024 * 1024;

export interface StreamScan {
  streams: number;
  decodedBytes: number;
}

export async function checkPdfStreams(
  bytes: Uint8Array,
  limitBytes = MAX_PDF_DECODED_BYTES,
): Promise<StreamScan> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pdf = new ObjectIndex(text);
  const scan: StreamScan = { streams: 0, decodedBytes: 0 };
  for (const at of pdf.headers) {
    const lexer = pdf.lexer(at);
    const dict = lexer.value();
    if (!(dict instanceof Map)) continue;
    const start = lexer.streamStart();
    if (start === null) continue;
    const filters = filterNames(pdf, dict.get('Filter'));
    if (filters.length === 0 || !DECODERS[filters[0] ?? '']) continue;
    scan.streams++;
    let data = bytes.subarray(start, streamEnd(text, start, pdf.resolve(dict.get('Length'))));
    for (const [i, name] of filters.entries()) {
      const decoder = DECODERS[name];
      if (!decoder) break;
      const keep = DECODERS[filters[i + 1] ?? ''] !== undefined;
      let decoded: Awaited<ReturnType<typeof decoder>>;
      try {
        decoded = await decoder(data, limitBytes - scan.decodedBytes, keep);
      } catch (error) {
        if (error instanceof OverBudget) throw tooLarge(limitBytes, scan.decodedBytes + error.producedBytes);
        throw error;
      }
      scan.decodedBytes += decoded.produced;
      if (!decoded.out) break;
      data = decoded.out;
    }
  }
  return scan;
}

function tooLarge(limitBytes: number, decodedBytes: number): AppError {
  return new AppError(
    'payload_too_large',
    'file_too_large',
    `The PDF expands to more than ${limitBytes / (1024 * 1024)} MB when its compressed contents are unpacked.`,
    { details: { limitBytes, decodedBytes } },
  );
}

const SPACE = '[\\0\\t\\n\\f\\r ]';
const OBJECT_HEADER = new RegExp(`(?<![0-9])(\\d+)${SPACE}+(\\d+)${SPACE}+obj(?![A-Za-z0-9])`, 'g');
const isSpace = (char: string | undefined) => char !== undefined && '\0\t\n\f\r '.includes(char);
const isDelimiter = (char: string | undefined) => char !== undefined && '()<>[]{}/%'.includes(char);

interface Ref {
  ref: string;
}
type PdfValue = number | string | boolean | null | Ref | PdfValue[] | Map<string, PdfValue>;
/** Names keep their slash, so they differ from keywords: `/FlateDecode`. */
const nameOf = (value: PdfValue | undefined): string | null =>
  typeof value === 'string' && value.startsWith('/') ? value.slice(1) : null;

/** The filter names of a stream, following an indirect /Filter or indirect names in its array. */
function filterNames(pdf: ObjectIndex, value: PdfValue | undefined): string[] {
  const filter = pdf.resolve(value);
  const list = Array.isArray(filter) ? filter : [filter];
  return list.map((item) => nameOf(pdf.resolve(item)) ?? '?');
}

/**
 * Where each object starts (by number and generation, the last definition winning, as in an incremental update), and
 * a count of the characters lexed: a legitimate file is lexed about once over; a file built to make the scan lex the
 * same text again and again (an unclosed string after every one of thousands of object headers) is refused.
 */
class ObjectIndex {
  readonly headers: number[] = [];
  private readonly byRef = new Map<string, number>();
  private readonly work = { chars: 0, limit: 0 };

  constructor(private readonly text: string) {
    this.work.limit = 32 * text.length + 1024 * 1024;
    for (const match of text.matchAll(OBJECT_HEADER)) {
      const at = match.index + match[0].length;
      this.headers.push(at);
      this.byRef.set(`${match[1]} ${match[2]}`, at);
    }
  }

  lexer(at: number): Lexer {
    return new Lexer(this.text, at, this.work);
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    if (typeof value !== 'object' || value === null || !('ref' in value)) return value;
    const at = this.byRef.get(value.ref);
    return at === undefined ? undefined : this.lexer(at).value();
  }
}

function streamEnd(text: string, start: number, length: PdfValue | undefined): number {
  const from =
    typeof length === 'number' && length >= 0 && start + length <= text.length ? start + length : start;
  const end = text.indexOf('endstream', from);
  return end < 0 ? text.length : end;
}

/** Just enough of PDF's syntax to read an object's dictionary: every value is skipped correctly, few are kept. */
class Lexer {
  private depth = 0;

  constructor(
    private readonly text: string,
    private at: number,
    private readonly work: { chars: number; limit: number },
  ) {}

  /** One value, whole; the characters it took count towards the scan's work. */
  value(): PdfValue | undefined {
    const from = this.at;
    const value = this.parse();
    this.work.chars += this.at - from;
    if (this.work.chars > this.work.limit) {
      throw new AppError('unprocessable', 'corrupt_file', 'The PDF file is damaged and cannot be read.', {
        details: { reason: 'its objects cannot be told apart' },
      });
    }
    return value;
  }

  private parse(): PdfValue | undefined {
    this.skipSpace();
    const { text } = this;
    const char = text[this.at];
    if (char === undefined) return undefined;
    this.depth++;
    try {
      if (this.depth > 500) return undefined;
      if (text.startsWith('<<', this.at)) return this.dict();
      if (char === '[') return this.array();
      if (char === '(') return this.literal();
      if (char === '<') {
        const end = text.indexOf('>', this.at);
        this.at = end < 0 ? text.length : end + 1;
        return '';
      }
      if (char === '/')
        return `/${this.regular(this.at + 1).replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))}`;
      const ref = /(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+R(?![A-Za-z0-9])/y;
      ref.lastIndex = this.at;
      const match = ref.exec(text);
      if (match) {
        this.at = ref.lastIndex;
        return { ref: `${match[1]} ${match[2]}` };
      }
      if (isDelimiter(char)) {
        this.at++;
        return null;
      }
      const word = this.regular(this.at);
      const number = Number(word);
      return word === 'true' || word === 'false' ? word === 'true' : Number.isFinite(number) ? number : null;
    } finally {
      this.depth--;
    }
  }

  /** After the dictionary: where the data starts, if the keyword `stream` follows (the next line, as pdf.js reads). */
  streamStart(): number | null {
    this.skipSpace();
    if (!this.text.startsWith('stream', this.at)) return null;
    let at = this.at + 6;
    while (at < this.text.length && this.text[at] !== '\n' && this.text[at] !== '\r') at++;
    return this.text.startsWith('\r\n', at) ? at + 2 : at + 1;
  }

  private dict(): Map<string, PdfValue> | undefined {
    this.at += 2;
    const entries = new Map<string, PdfValue>();
    while (true) {
      this.skipSpace();
      if (this.at >= this.text.length) return undefined;
      if (this.text.startsWith('>>', this.at)) {
        this.at += 2;
        return entries;
      }
      const key = nameOf(this.parse());
      const value = this.parse();
      if (value === undefined) return undefined;
      // The first definition of a key is the one pdf.js keeps.
      if (key !== null && !entries.has(key)) entries.set(key, value);
    }
  }

  private array(): PdfValue[] | undefined {
    this.at++;
    const items: PdfValue[] = [];
    while (true) {
      this.skipSpace();
      if (this.at >= this.text.length) return undefined;
      if (this.text[this.at] === ']') {
        this.at++;
        return items;
      }
      const item = this.parse();
      if (item === undefined) return undefined;
      items.push(item);
    }
  }

  /** A literal string: balanced parentheses, backslash escapes. Its content does not matter here. */
  private literal(): string {
    let depth = 0;
    for (; this.at < this.text.length; this.at++) {
      const char = this.text[this.at];
      if (char === '\\') this.at++;
      else if (char === '(') depth++;
      else if (char === ')' && --depth === 0) {
        this.at++;
        break;
      }
    }
    return '';
  }

  private regular(from: number): string {
    let end = from;
    while (end < this.text.length && !isSpace(this.text[end]) && !isDelimiter(this.text[end])) end++;
    this.at = end;
    return this.text.slice(from, end);
  }

  private skipSpace(): void {
    const { text } = this;
    while (this.at < text.length) {
      if (isSpace(text[this.at])) this.at++;
      else if (text[this.at] === '%') {
        while (this.at < text.length && text[this.at] !== '\n' && text[this.at] !== '\r') this.at++;
      } else break;
    }
  }
}
