import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/app-error';
import { detectFileType, listZipEntries } from './detect-file-type';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
const padTo = (head: Uint8Array, length: number) =>
  concat(head, new Uint8Array(Math.max(0, length - head.length)));

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

function expectUnsupported(input: Uint8Array, detected: string) {
  const error = thrown(() => detectFileType(input));
  expect(error.status).toBe(415);
  expect(error.code).toBe('unsupported_file_type');
  expect(error.details).toEqual({ accepted: ['pdf', 'docx', 'txt', 'md'], detected });
  expect(error.message).toMatch(/PDF, DOCX, plain text or Markdown/);
}

const docxParts = {
  '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
  '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships/>'),
  'word/document.xml': strToU8('<?xml version="1.0"?><w:document/>'),
};

describe('detectFileType', () => {
  describe('pdf', () => {
    it('recognises the %PDF- header at the start', () => {
      expect(detectFileType(utf8('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj'))).toBe('pdf');
    });

    it('accepts junk before the header within the first KiB, not after it', () => {
      expect(detectFileType(concat(new Uint8Array(1000).fill(0x01), utf8('%PDF-1.4\n')))).toBe('pdf');
      expectUnsupported(concat(new Uint8Array(1100).fill(0x01), utf8('%PDF-1.4\n')), 'binary');
    });

    it('decides by the bytes, so a text that talks about PDFs is text', () => {
      expect(detectFileType(utf8('I converted my resume from %PDF to text, see below.'))).toBe('text');
    });
  });

  describe('docx and other archives', () => {
    it('recognises a zip that holds word/document.xml as docx', () => {
      expect(detectFileType(zipSync(docxParts))).toBe('docx');
    });

    it('refuses a zip without word/document.xml, naming spreadsheets and slides', () => {
      expectUnsupported(zipSync({ 'resume.txt': strToU8('hello') }), 'zip');
      expectUnsupported(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') }), 'xlsx');
      expectUnsupported(zipSync({ 'ppt/presentation.xml': strToU8('<p/>') }), 'pptx');
      expectUnsupported(bytes(0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)), 'zip');
    });

    it('lists entries from the local headers when the central directory is missing', () => {
      const zip = zipSync(docxParts);
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
      const centralDirectory = view.getUint32(zip.length - 22 + 16, true);
      const truncated = zip.subarray(0, centralDirectory);
      expect(listZipEntries(truncated).map((entry) => entry.name)).toEqual(Object.keys(docxParts));
      expect(detectFileType(truncated)).toBe('docx');
    });

    it('reads the names without inflating, with the sizes the archive declares', () => {
      const entries = listZipEntries(
        zipSync({ ...docxParts, 'word/media/big.bin': new Uint8Array(100_000) }),
      );
      expect(entries).toContainEqual({ name: 'word/media/big.bin', uncompressedSize: 100_000 });
      expect(entries).toHaveLength(4);
    });
  });

  describe('ZIP64', () => {
    // Written by Python's zipfile with its ZIP64 limits lowered to 10 bytes: word/document.xml (130 bytes) has its
    // sizes in ZIP64 extra fields, and the archive ends with ZIP64 end records before the classic one.
    const zip64 = () =>
      new Uint8Array(
        Buffer.from(
          'UEsDBBQAAAAIAIEzeV3HHBc8CgAAAAgAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbLMJqSxILda3AwBQSwMELQAAAAgAgTN5Xfp7' +
            'Obz//////////xEAFAB3b3JkL2RvY3VtZW50LnhtbAEAEACCAAAAAAAAABIAAAAAAAAAsym3SslPLs1NzSvRt7MZCA4AUEsBAhQD' +
            'FAAAAAgAgTN5XcccFzwKAAAACAAAABMAAAAAAAAAAAAAAIABAAAAAFtDb250ZW50X1R5cGVzXS54bWxQSwECLQMtAAAACACBM3ld' +
            '+ns5vP//////////EQAcAAAAAAAAAAAAgAH/////d29yZC9kb2N1bWVudC54bWwBABgAggAAAAAAAAASAAAAAAAAADsAAAAAAAAA' +
            'UEsGBiwAAAAAAAAALQAtAAAAAAAAAAAAAgAAAAAAAAACAAAAAAAAAJwAAAAAAAAAkAAAAAAAAABQSwYHAAAAACwBAAAAAAAAAQAA' +
            'AFBLBQYAAAAAAgACAJwAAACQAAAAAAA=',
          'base64',
        ),
      );
    const expected = [
      { name: '[Content_Types].xml', uncompressedSize: 8 },
      { name: 'word/document.xml', uncompressedSize: 130 },
    ];

    it('reads sizes from the ZIP64 extra field', () => {
      expect(listZipEntries(zip64())).toEqual(expected);
      expect(detectFileType(zip64())).toBe('docx');
    });

    it('follows the ZIP64 locator when the classic end record points nowhere', () => {
      const zip = zip64();
      new DataView(zip.buffer).setUint32(zip.length - 22 + 16, 0xffffffff, true);
      // Spoil the first local header too, so only the central directory can give the answer.
      zip[0] = 0;
      expect(listZipEntries(zip)).toEqual(expected);
    });

    it('walks ZIP64 local headers when the central directory is gone', () => {
      expect(listZipEntries(zip64().subarray(0, 144))).toEqual(expected);
    });
  });

  describe('formats we do not read', () => {
    it.each([
      ['png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)],
      ['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46)],
      ['gif', utf8('GIF89a\u0001\u0000')],
      ['webp', concat(utf8('RIFF'), bytes(0x24, 0, 0, 0), utf8('WEBPVP8 '))],
      ['tiff', bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0)],
      ['doc', padTo(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), 512)],
      ['rtf', utf8('{\\rtf1\\ansi Jane Doe, Senior Python Engineer}')],
      ['gzip', bytes(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0)],
      ['elf', bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0)],
    ])('refuses %s by its magic bytes', (detected, input) => {
      expectUnsupported(input, detected);
    });

    it('refuses a Windows executable, but not a text that starts with "MZ"', () => {
      const exe = padTo(utf8('MZ'), 0x100);
      new DataView(exe.buffer).setUint32(0x3c, 0x80, true);
      exe.set(utf8('PE\u0000\u0000'), 0x80);
      expectUnsupported(exe, 'exe');
      expect(detectFileType(utf8('MZ Kowalski\nSenior Python Engineer, 12 years of Django'))).toBe('text');
    });

    it('refuses other binary data', () => {
      expectUnsupported(bytes(0x00, 0x01, 0x02, 0x03, 0x61, 0x62, 0x63), 'binary');
      // No NUL byte, but full of control characters.
      expectUnsupported(
        new Uint8Array(400).map((_, i) => 1 + (i % 30)),
        'binary',
      );
    });
  });

  describe('text', () => {
    it('accepts UTF-8 text and Markdown, with or without a BOM', () => {
      expect(detectFileType(utf8('# Jane Doe\n\n- Python, asyncio, FastAPI\n'))).toBe('text');
      expect(detectFileType(concat(bytes(0xef, 0xbb, 0xbf), utf8('Zoë Żółć — senior engineer')))).toBe(
        'text',
      );
    });

    it('accepts UTF-16 with a byte order mark (LE and BE)', () => {
      const le = concat(bytes(0xff, 0xfe), new Uint8Array(Buffer.from('Senior Python engineer', 'utf16le')));
      const be = concat(
        bytes(0xfe, 0xff),
        new Uint8Array(Buffer.from('Senior Python engineer', 'utf16le').swap16()),
      );
      expect(detectFileType(le)).toBe('text');
      expect(detectFileType(be)).toBe('text');
    });

    it('accepts windows-1252 text that is not valid UTF-8', () => {
      // "Résumé – café": é is 0xE9 and the en dash 0x96 in windows-1252.
      expect(
        detectFileType(bytes(0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9, 0x20, 0x96, 0x20, 0x63, 0x61, 0x66, 0xe9)),
      ).toBe('text');
    });

    it('accepts tabs and form feeds, which plain text uses', () => {
      expect(detectFileType(utf8('Skills\tPython\tGo\fPage 2\r\nMore'))).toBe('text');
    });
  });

  describe('empty input', () => {
    it.each([
      ['no bytes', new Uint8Array(0)],
      ['only whitespace', utf8(' \n\t\r\n  ')],
      ['a UTF-8 BOM and spaces', concat(bytes(0xef, 0xbb, 0xbf), utf8('   '))],
      ['UTF-16 spaces', concat(bytes(0xff, 0xfe), bytes(0x20, 0, 0x0a, 0))],
      ['more than 64 KiB of spaces', new Uint8Array(70_000).fill(0x20)],
    ])('refuses %s as empty_file (422)', (_, input) => {
      const error = thrown(() => detectFileType(input));
      expect(error.status).toBe(422);
      expect(error.code).toBe('empty_file');
    });

    it('does not call a long file with text after 64 KiB of spaces empty', () => {
      expect(detectFileType(concat(new Uint8Array(70_000).fill(0x20), utf8('Jane Doe')))).toBe('text');
    });
  });
});
