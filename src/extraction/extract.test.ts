import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../tests/support/resumes';
import { AppError } from '../core/app-error';
import { contentTypeFor, type ExtractOptions, extractDocument, finishText } from './extract';
import { cleanPdfText, restoreSoftHyphens } from './extract-pdf';

const corpus = (name: string) => new Uint8Array(readFileSync(path.join(corpusDir, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function failure(input: Uint8Array, options?: ExtractOptions): Promise<AppError> {
  try {
    await extractDocument(input, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected extraction to fail');
}

// --- PDFs made for the tests -------------------------------------------------------------------------------------

type Line = { text: string; x?: number; y: number; size?: number };

/** One PDF page per entry; lines are drawn in the order given, which need not be reading order. */
async function makePdf(pages: Line[][], draw?: (page: PDFPage, font: PDFFont) => void) {
  const doc = await PDFDocument.create();
  const font: PDFFont = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    for (const { text, x = 72, y, size = 12 } of lines) page.drawText(text, { x, y, size, font });
    draw?.(page, font);
  }
  return doc.save();
}

const ABOUT = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';

// --- A password-protected PDF, built by hand ----------------------------------------------------------------------
// pdf-lib cannot encrypt, so this writes the standard security handler (PDF 1.4, RC4 128-bit, revision 3) from the
// spec: user password "secret", the content stream encrypted with the object key. A positive control below opens it
// with pdf.js and the password, so the file is a real encrypted PDF, not just one with a stray /Encrypt entry.

const PASSWORD_PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const padPassword = (password: string) =>
  Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + (s[i] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
    out[n] = (data[n] ?? 0) ^ (s[((s[i] ?? 0) + (s[j] ?? 0)) & 0xff] ?? 0);
  }
  return out;
}

/** Revision 3 runs RC4 twenty times, with the key XORed with 0..19. */
const rc4Rounds = (key: Buffer, data: Buffer) =>
  Array.from({ length: 20 }, (_, i) => i).reduce(
    (acc, i) => rc4(Buffer.from(key.map((b) => b ^ i)), acc),
    data,
  );

/** Revision 3 hashes fifty more times. */
const md5Rounds = (hash: Buffer) =>
  Array.from({ length: 50 }).reduce<Buffer>((acc) => md5(acc.subarray(0, 16)), hash);

function encryptedPdf(userPassword: string, ownerPassword: string): Uint8Array {
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-4);
  const owner = rc4Rounds(
    md5Rounds(md5(padPassword(ownerPassword))).subarray(0, 16),
    padPassword(userPassword),
  );
  const fileKey = md5Rounds(md5(padPassword(userPassword), owner, permissions, id)).subarray(0, 16);
  const user = Buffer.concat([rc4Rounds(fileKey, md5(PASSWORD_PAD, id)), Buffer.alloc(16)]);
  const objectKey = md5(fileKey, Buffer.from([4, 0, 0, 0, 0])).subarray(0, 16); // object 4, generation 0

  const content = rc4(objectKey, Buffer.from(`BT /F1 10 Tf 72 700 Td (${ABOUT}) Tj ET`, 'latin1'));
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`),
      content,
      Buffer.from('\nendstream'),
    ]),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> >>`,
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = chunks[0]?.length ?? 0;
  objects.forEach((body, i) => {
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.from(body),
      Buffer.from('\nendobj\n'),
    ]);
    offsets.push(length);
    chunks.push(chunk);
    length += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] >>`,
    'startxref',
    String(length),
    '%%EOF',
  ].join('\n');
  return new Uint8Array(Buffer.concat([...chunks, Buffer.from(xref)]));
}

// --- DOCX made for the tests --------------------------------------------------------------------------------------

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function makeDocx(paragraphs: string[], documentXml?: string): Uint8Array {
  const body = paragraphs
    .map((text) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`)
    .join('');
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
      documentXml ??
        `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`,
    ),
  });
}

// --- Tests --------------------------------------------------------------------------------------------------------

describe('extractDocument on the real resumes in the shared corpus', () => {
  const names = readdirSync(corpusDir).filter((name) => name.endsWith('.pdf'));

  it('finds the corpus', () => {
    expect(names.sort()).toEqual(['awesome-cv-resume.pdf', 'laverne-resume.pdf', 'openresume-resume.pdf']);
  });

  it.each(names)('%s: readable text without ligatures or soft hyphens, input left intact', async (name) => {
    const bytes = corpus(name);
    const size = bytes.byteLength;
    const doc = await extractDocument(bytes);
    expect(doc.kind).toBe('pdf');
    expect(doc.text.length).toBeGreaterThan(500);
    expect(doc.charCount).toBe(doc.text.length);
    expect(doc.text).not.toMatch(/[\ufb00-\ufb06\u00ad]/u);
    expect(doc.text).toBe(doc.text.normalize('NFC'));
    expect(doc.text).not.toMatch(/[ \t]\n|\n{3}|\r/);
    // pdf.js is handed a copy: the caller's buffer is neither detached nor changed.
    expect(bytes.byteLength).toBe(size);
    expect(Buffer.from(bytes).equals(readFileSync(path.join(corpusDir, name)))).toBe(true);
  });

  it('awesome-cv (LuaTeX): three pages in order, hyphens kept, words split by the layout joined', async () => {
    const doc = await extractDocument(corpus('awesome-cv-resume.pdf'));
    expect(doc.pageCount).toBe(3);
    expect(doc.text.split('\n\n')).toHaveLength(3);
    expect(doc.text).toMatch(/^Byungjin Park\nDevOps Engineer · Software Architect\n/);
    // Its hyphen glyph is U+00AD, which pdf.js leaves out of text content; these come back from the operator list.
    expect(doc.text).toContain('seeking high-impact opportunities in fast-growing');
    expect(doc.text).toContain('DevOps Engineer Sep. 2023 - Mar. 2024');
    // "Con-" at a line end and "sul" on the next line.
    expect(doc.text).toContain('Kuma, Consul, and AWS VPC Lattice');
    expect(doc.text).toContain('over 20 enterprise systems');
    // Left column and right column of one row, on one line with a space between.
    expect(doc.text).toContain('Dunamu Inc. Seoul, S.Korea');
    const order = ['Summary', 'Work Experience', 'Honors & Awards', 'Certificates', 'Education'];
    const positions = order.map((heading) => doc.text.indexOf(`\n${heading}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('laverne (Word on macOS, Quartz): one hyphen per hyphen glyph, right column on its row', async () => {
    const doc = await extractDocument(corpus('laverne-resume.pdf'));
    expect(doc.pageCount).toBe(1);
    expect(doc.text).toContain('(909) 555-5555');
    expect(doc.text).toContain('To obtain an on-campus position');
    expect(doc.text).toContain('Co-designed 17 minute audio-visual presentation');
    expect(doc.text).toContain('University of La Verne, La Verne, CA Expected Graduation: June 2016');
    expect(doc.text).toContain('Dean’s List Fall 2013 – Spring 2014');
    expect(doc.text).toContain('\nSKILLS\nComputer: Proficient in Windows and Mac OS');
  });

  it('openresume (react-pdf): ligatures spelled out, columns separated', async () => {
    const doc = await extractDocument(corpus('openresume-resume.pdf'));
    expect(doc.pageCount).toBe(1);
    expect(doc.text).toContain('Discovered and fixed 5 bugs');
    expect(doc.text).toContain('NLP algorithm in text classification');
    expect(doc.text).toContain('presented research findings');
    expect(doc.text).toContain('hello@openresume.com 123-456-7890 NYC, NY linkedin.com/in/john-doe');
    expect(doc.text).toContain('Software Engineer May 2023 - Present');
    expect(doc.text).toMatch(/\nHTML CSS Python\nTypeScript React C\+\+\n/);
  });

  it('stops at the time limit', async () => {
    const error = await failure(corpus('awesome-cv-resume.pdf'), { timeoutMs: 1 });
    expect(error.code).toBe('extraction_timeout');
    expect(error.status).toBe(422);
  });
});

describe('extractDocument on generated PDFs', () => {
  it('lays out lines top to bottom and runs left to right, whatever order they were drawn in', async () => {
    const pdf = await makePdf([
      [
        { text: 'Skills: Python, Go', y: 600 },
        { text: 'Remote', x: 400, y: 700 },
        { text: 'Jane Doe', y: 700 },
        { text: ABOUT, y: 680 },
      ],
    ]);
    const doc = await extractDocument(pdf);
    expect(doc).toMatchObject({ kind: 'pdf', pageCount: 1, warnings: [] });
    expect(doc.text).toBe(`Jane Doe Remote\n${ABOUT}\nSkills: Python, Go`);
  });

  it('keeps superscripts on their line and does not glue runs that touch', async () => {
    const pdf = await makePdf([[]], (page, font) => {
      // Three runs drawn edge to edge: "Won 1", a raised "st", then the rest after a space's width.
      const won = 'Won 1';
      const st = 72 + font.widthOfTextAtSize(won, 12);
      const rest = st + font.widthOfTextAtSize('st', 7) + font.widthOfTextAtSize(' ', 12);
      page.drawText(won, { x: 72, y: 700, size: 12, font });
      page.drawText('st', { x: st, y: 704, size: 7, font });
      page.drawText('place at PyCon sprint, then built a Celery pipeline.', {
        x: rest,
        y: 700,
        size: 12,
        font,
      });
    });
    const doc = await extractDocument(pdf);
    expect(doc.text.split('\n')).toHaveLength(1);
    expect(doc.text).toBe('Won 1st place at PyCon sprint, then built a Celery pipeline.');
  });

  it('separates pages with a blank line and counts them', async () => {
    const pdf = await makePdf([
      [{ text: `Page one. ${ABOUT}`, y: 700 }],
      [
        { text: 'Page two, first line.', y: 700 },
        { text: 'Page two, second line.', y: 680 },
      ],
      [{ text: 'Page three: references on request.', y: 700 }],
    ]);
    const doc = await extractDocument(pdf);
    expect(doc.pageCount).toBe(3);
    expect(doc.text).toBe(
      `Page one. ${ABOUT}\n\nPage two, first line.\nPage two, second line.\n\nPage three: references on request.`,
    );
  });

  it('refuses more pages than maxPages, and accepts exactly maxPages', async () => {
    const pdf = await makePdf([1, 2, 3].map((n) => [{ text: `Page ${n}. ${ABOUT}`, y: 700 }]));
    const error = await failure(pdf, { maxPages: 2 });
    expect(error.code).toBe('too_many_pages');
    expect(error.status).toBe(422);
    expect(error.details).toEqual({ pageCount: 3, maxPages: 2 });
    expect((await extractDocument(pdf, { maxPages: 3 })).pageCount).toBe(3);
  });

  it('does not invent text for a page with only a drawing (a scan has no text layer)', async () => {
    const pdf = await makePdf([[]], (page) =>
      page.drawRectangle({ x: 50, y: 50, width: 500, height: 700, color: rgb(0.2, 0.2, 0.2) }),
    );
    const error = await failure(pdf);
    expect(error.code).toBe('no_extractable_text');
    expect(error.message).toMatch(/no text layer/);
  });

  it('refuses an empty page, and a page with a few characters only', async () => {
    expect((await failure(await makePdf([[]]))).code).toBe('no_extractable_text');
    expect((await failure(await makePdf([[{ text: 'Page 1 of 1', y: 40 }]]))).code).toBe(
      'no_extractable_text',
    );
  });

  it('refuses a password-protected PDF as encrypted_pdf', async () => {
    const pdf = encryptedPdf('secret', 'owner-secret');
    const error = await failure(pdf);
    expect(error.code).toBe('encrypted_pdf');
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/password-protected/);
  });

  it('positive control: the hand-made encrypted PDF opens with its password', async () => {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = getDocument({
      data: encryptedPdf('secret', 'owner-secret'),
      password: 'secret',
      verbosity: 0,
    });
    try {
      const page = await (await task.promise).getPage(1);
      const text = (await page.getTextContent()).items
        .map((item) => ('str' in item ? item.str : ''))
        .join('');
      expect(text).toBe(ABOUT);
    } finally {
      await task.destroy();
    }
  });

  it('refuses a truncated or garbled PDF as corrupt_file', async () => {
    const pdf = await makePdf([[{ text: ABOUT, y: 700 }]]);
    for (const damaged of [
      pdf.subarray(0, Math.floor(pdf.length / 2)),
      utf8(`%PDF-1.7\n${'x'.repeat(500)}`),
    ]) {
      const error = await failure(damaged);
      expect(error.code).toBe('corrupt_file');
      expect(error.status).toBe(422);
    }
  });
});

describe('PDF text clean-up', () => {
  it('puts back soft hyphens pdf.js dropped, at the end of the run before a line break', () => {
    const runs = ['seeking highimpact work with Con', '', 'sul and Kuma'];
    const glyphs = 'seekinghigh\u00adimpactworkwithCon\u00adsulandKuma';
    expect(restoreSoftHyphens(runs, glyphs)).toEqual([
      'seeking high\u00adimpact work with Con\u00ad',
      '',
      'sul and Kuma',
    ]);
  });

  it('leaves the runs alone when the glyphs do not match them', () => {
    expect(restoreSoftHyphens(['Jane Doe'], 'John\u00adDoe')).toBeNull();
    expect(restoreSoftHyphens(['Jane Doe'], 'JaneDoe')).toEqual(['Jane Doe']);
  });

  it('joins a word broken at a line end only between lowercase letters', () => {
    expect(cleanPdfText('experi-\nenced in asyncio')).toBe('experienced in asyncio');
    expect(cleanPdfText('Con\u00ad\nsul')).toBe('Consul');
    expect(cleanPdfText('Python-\nDjango')).toBe('Python-\nDjango');
    expect(cleanPdfText('2019-\n2023')).toBe('2019-\n2023');
  });

  it('reads a drawn soft hyphen as a hyphen, and a hyphen between spaces as a dash', () => {
    expect(cleanPdfText('high\u00adimpact')).toBe('high-impact');
    expect(cleanPdfText('on-\u00ad\u2010campus')).toBe('on-campus');
    expect(cleanPdfText('Sep. 2023 \u00adMar. 2024')).toBe('Sep. 2023 - Mar. 2024');
  });

  it('spells out ligatures and composes to NFC', () => {
    expect(cleanPdfText('\ufb01xed \ufb02aky e\ufb00ort, tra\ufb03c, ba\ufb04ed')).toBe(
      'fixed flaky effort, traffic, baffled',
    );
    expect(cleanPdfText('Jose\u0301')).toBe('José');
  });
});

describe('extractDocument on DOCX', () => {
  it('reads the paragraphs of a minimal DOCX', async () => {
    const doc = await extractDocument(
      makeDocx(['Jane Doe', ABOUT, 'Opti\u00admised N+1 queries with select_related.']),
    );
    expect(doc.kind).toBe('docx');
    expect(doc.pageCount).toBeNull();
    expect(doc.text).toContain('Jane Doe');
    expect(doc.text).toContain(ABOUT);
    // An optional hyphen in Word is invisible unless it breaks a line.
    expect(doc.text).toContain('Optimised N+1 queries');
    expect(doc.text.indexOf('Jane Doe')).toBeLessThan(doc.text.indexOf(ABOUT));
    expect(doc.charCount).toBe(doc.text.length);
  });

  it('refuses a DOCX without text', async () => {
    expect((await failure(makeDocx([]))).code).toBe('no_extractable_text');
  });

  it('refuses a damaged DOCX as corrupt_file', async () => {
    const broken = makeDocx([], '<w:document><w:body><w:p>');
    expect((await failure(broken)).code).toBe('corrupt_file');
    const docx = makeDocx([ABOUT]);
    const truncated = docx.subarray(0, docx.length - 60);
    expect((await failure(truncated)).code).toBe('corrupt_file');
  });

  it('refuses a DOCX that claims to expand past the limit, before inflating it', async () => {
    const docx = makeDocx([ABOUT]);
    const view = new DataView(docx.buffer, docx.byteOffset, docx.byteLength);
    const centralDirectory = view.getUint32(docx.length - 22 + 16, true);
    // The first central directory entry's uncompressed size.
    view.setUint32(centralDirectory + 24, 200 * 1024 * 1024, true);
    const error = await failure(docx);
    expect(error.code).toBe('file_too_large');
    expect(error.status).toBe(413);
  });

  it('refuses a zip that is not a DOCX with 415', async () => {
    const error = await failure(zipSync({ 'resume.txt': strToU8(ABOUT) }));
    expect(error.status).toBe(415);
    expect(error.details).toMatchObject({ detected: 'zip' });
  });
});

describe('extractDocument on plain text', () => {
  it('reads UTF-8, drops the BOM, turns CRLF into LF and composes to NFC', async () => {
    const bytes = utf8(`\ufeff# Jose\u0301 Garci\u0301a\r\n\r\n${ABOUT}\r\n`);
    const doc = await extractDocument(bytes);
    expect(doc).toMatchObject({ kind: 'text', pageCount: null, warnings: [] });
    expect(doc.text).toBe(`# José García\n\n${ABOUT}`);
  });

  it('reads UTF-16LE and UTF-16BE with a BOM', async () => {
    const text = `Zoë Żółć\n${ABOUT}`;
    const le = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = new Uint8Array(
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    );
    expect((await extractDocument(le)).text).toBe(text);
    expect((await extractDocument(be)).text).toBe(text);
  });

  it('falls back to windows-1252 when the bytes are not UTF-8, and says so', async () => {
    // "Résumé – café, naïve" in windows-1252: é 0xE9, en dash 0x96, ï 0xEF.
    const bytes = new Uint8Array([
      ...Buffer.from('R\u00e9sum\u00e9 \u0096 caf\u00e9, na\u00efve. ', 'latin1'),
      ...Buffer.from(ABOUT, 'latin1'),
    ]);
    const doc = await extractDocument(bytes);
    expect(doc.text).toBe(`Résumé – café, naïve. ${ABOUT}`);
    expect(doc.warnings).toEqual(['The text is not valid UTF-8; it was read as windows-1252.']);
  });

  it('refuses text too short to screen, and an empty file', async () => {
    expect((await failure(utf8('Jane Doe\n\nPython'))).code).toBe('no_extractable_text');
    const empty = await failure(new Uint8Array(0));
    expect(empty.code).toBe('empty_file');
    expect(empty.status).toBe(422);
  });

  it('refuses images and legacy Word files with 415 naming what they look like', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 0x10]);
    const doc = new Uint8Array(512);
    doc.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const [input, detected] of [
      [png, 'png'],
      [jpeg, 'jpeg'],
      [doc, 'doc'],
    ] as const) {
      const error = await failure(input);
      expect(error.status).toBe(415);
      expect(error.details).toMatchObject({ detected });
    }
  });
});

describe('contentTypeFor', () => {
  it('names the stored type of each kind', () => {
    expect(contentTypeFor('pdf')).toBe('application/pdf');
    expect(contentTypeFor('docx')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(contentTypeFor('text')).toBe('text/plain; charset=utf-8');
  });
});

describe('finishText', () => {
  it('trims blanks off every line end, a long run of them included, and keeps blanks inside a line', () => {
    expect(finishText('  a \t\r\nb\t \n\n c  ')).toBe('a\nb\n\n c');
    // 200,000 blanks mid-line and at a line end: the whole run stays in the first, goes from the second.
    const run = ' \t'.repeat(100_000);
    const finished = finishText(`start${run}end${run}\nnext`);
    expect(finished).toBe(`start${run}end\nnext`);
  });
});
