import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import {
  type Color,
  PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
  setTextRenderingMode,
} from 'pdf-lib';

/**
 * Documents made in tests (and by the extraction benchmark): PDFs through pdf-lib, with the tricks hidden text is
 * made of (white, tiny, invisible render mode, transparent, off the page, painted over), PNG images, DOCX files
 * with run properties. Each generator also says what a reader sees, so tests can compare with the truth.
 */

export const LETTER: [number, number] = [612, 792];

export interface TextOptions {
  x: number;
  y: number;
  size?: number;
  color?: Color;
  opacity?: number;
  /** PDF text render mode: 3 is invisible. */
  renderMode?: number;
  bold?: boolean;
}

export interface PdfCanvas {
  doc: PDFDocument;
  font: PDFFont;
  bold: PDFFont;
  addPage(): PDFPage;
  text(page: PDFPage, text: string, options: TextOptions): void;
  /** Draws `lines` top-down from `y`, `leading` apart; returns the y after the last line. */
  lines(page: PDFPage, lines: readonly string[], options: TextOptions & { leading?: number }): number;
  save(): Promise<Uint8Array>;
}

export async function pdfCanvas(): Promise<PdfCanvas> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const canvas: PdfCanvas = {
    doc,
    font,
    bold,
    addPage: () => doc.addPage(LETTER),
    text(page, text, options) {
      const size = options.size ?? 11;
      if (options.renderMode !== undefined) {
        // Tr is part of the graphics state: set it around pdf-lib's own BT/ET block.
        page.pushOperators(pushGraphicsState(), setTextRenderingMode(options.renderMode));
      }
      page.drawText(text, {
        x: options.x,
        y: options.y,
        size,
        font: options.bold ? bold : font,
        color: options.color ?? rgb(0, 0, 0),
        ...(options.opacity === undefined ? {} : { opacity: options.opacity }),
      });
      if (options.renderMode !== undefined) page.pushOperators(popGraphicsState());
    },
    lines(page, lines, options) {
      const leading = options.leading ?? (options.size ?? 11) * 1.35;
      let y = options.y;
      for (const line of lines) {
        canvas.text(page, line, { ...options, y });
        y -= leading;
      }
      return y;
    },
    save: () => doc.save(),
  };
  return canvas;
}

// --- PNG ------------------------------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(new Uint8Array(Buffer.concat([head.subarray(4), data]))), 0);
  return Buffer.concat([head, data, crc]);
}

/** A solid-colour RGB PNG, written from the spec (signature, IHDR, one IDAT, IEND). */
export function solidPng(width: number, height: number, colour: [number, number, number]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter method, no interlace
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(colour, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

// --- DOCX -----------------------------------------------------------------------------------------------------------

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A run: its text and raw run properties (`<w:color w:val="FFFFFF"/>`, `<w:vanish/>`...). */
export type DocxRun = string | { text: string; props?: string; style?: string };
export interface DocxParagraph {
  runs: DocxRun[];
  /** Raw paragraph properties (`<w:pStyle w:val="Hidden"/>`, `<w:shd w:fill="000000"/>`). */
  props?: string;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function docxBody(paragraphs: ReadonlyArray<DocxParagraph | string>): string {
  return paragraphs
    .map((p) => {
      const paragraph = typeof p === 'string' ? { runs: [p] } : p;
      const runs = paragraph.runs
        .map((run) => {
          const r = typeof run === 'string' ? { text: run } : run;
          const style = r.style ? `<w:rStyle w:val="${r.style}"/>` : '';
          const props = style || r.props ? `<w:rPr>${style}${r.props ?? ''}</w:rPr>` : '';
          return `<w:r>${props}<w:t xml:space="preserve">${escapeXml(r.text)}</w:t></w:r>`;
        })
        .join('');
      const props = paragraph.props ? `<w:pPr>${paragraph.props}</w:pPr>` : '';
      return `<w:p>${props}${runs}</w:p>`;
    })
    .join('');
}

/** A minimal, valid DOCX: content types, relationships, the body, and optional styles. */
export function makeDocx(bodyXml: string, stylesXml?: string): Uint8Array {
  const styles: Record<string, Uint8Array> = stylesXml
    ? {
        'word/styles.xml': strToU8(
          `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W_NS}">${stylesXml}</w:styles>`,
        ),
        'word/_rels/document.xml.rels': strToU8(
          '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
            '</Relationships>',
        ),
      }
    : {};
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W_NS}"><w:body>${bodyXml}</w:body></w:document>`,
    ),
    ...styles,
  });
}
