import { AppError } from '../core/app-error';

/** Just enough of PDF's syntax for `pdf-streams.ts`: objects found by their headers, values read one at a time. */

const SPACE = '[\\0\\t\\n\\f\\r ]';
const OBJECT_HEADER = new RegExp(`(?<![0-9])(\\d+)${SPACE}+(\\d+)${SPACE}+obj(?![A-Za-z0-9])`, 'g');
const isSpace = (char: string | undefined) => char !== undefined && '\0\t\n\f\r '.includes(char);
const isDelimiter = (char: string | undefined) => char !== undefined && '()<>[]{}/%'.includes(char);

export interface Ref {
  ref: string;
}
/** A string's bytes, from a literal `(...)` or hex `<...>` string. */
export interface PdfString {
  str: Uint8Array;
}
export type PdfValue =
  | number
  | string
  | boolean
  | null
  | Ref
  | PdfString
  | PdfValue[]
  | Map<string, PdfValue>;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** Names keep their slash, so they differ from keywords: `/FlateDecode`. */
export const nameOf = (value: PdfValue | undefined): string | null =>
  typeof value === 'string' && value.startsWith('/') ? value.slice(1) : null;

/**
 * Where each object starts (by number and generation, the last definition winning, as in an incremental update), and
 * a count of the characters lexed: a legitimate file is lexed about once over; a file built to make the scan lex the
 * same text again and again (an unclosed string after every one of thousands of object headers) is refused.
 */
export class ObjectIndex {
  /** Where each object's value starts, with its number and generation (a stream's key depends on them). */
  readonly headers: Array<{ at: number; num: number; gen: number }> = [];
  private readonly byRef = new Map<string, number>();
  private readonly work = { chars: 0, limit: 0 };

  constructor(readonly text: string) {
    this.work.limit = 32 * text.length + 1024 * 1024;
    for (const match of text.matchAll(OBJECT_HEADER)) {
      const at = match.index + match[0].length;
      this.headers.push({ at, num: Number(match[1]), gen: Number(match[2]) });
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

/** Just enough of PDF's syntax to read an object's dictionary: every value is skipped correctly, few are kept. */
export class Lexer {
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
        const hex = text.slice(this.at + 1, end < 0 ? text.length : end).replace(/[^0-9a-fA-F]/g, '');
        this.at = end < 0 ? text.length : end + 1;
        return { str: new Uint8Array(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')) };
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

  /** A literal string: balanced parentheses, backslash escapes (an encryption dictionary's keys are strings). */
  private literal(): PdfString {
    const out: number[] = [];
    let depth = 0;
    const { text } = this;
    while (this.at < text.length) {
      const char = text[this.at++] ?? '';
      if (char === '(' && depth++ === 0) continue;
      if (char === ')' && --depth === 0) break;
      if (char !== '\\') {
        out.push(char.charCodeAt(0));
        continue;
      }
      const next = text[this.at++] ?? '';
      const octal = /^[0-7]{1,3}/.exec(text.slice(this.at - 1, this.at + 2));
      if (octal) {
        this.at += octal[0].length - 1;
        out.push(Number.parseInt(octal[0], 8) & 0xff);
      } else if (next === '\r') {
        if (text[this.at] === '\n') this.at++; // a line continuation
      } else if (next !== '\n') {
        out.push((ESCAPES[next] ?? next).charCodeAt(0));
      }
    }
    return { str: Uint8Array.from(out) };
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
