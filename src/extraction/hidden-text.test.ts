import { rgb } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { docxBody, makeDocx, pdfCanvas, solidPng } from '../../tests/support/documents';
import { hiddenTextResume, INJECTION } from '../../tests/support/generated-resumes';
import { AppError } from '../core/app-error';
import { extractDocument } from './extract';
import type { HiddenSpan } from './hidden-span';

const VISIBLE = 'Senior Python engineer: asyncio services, Django REST APIs and PostgreSQL tuning.';

async function failure(input: Uint8Array): Promise<AppError> {
  try {
    await extractDocument(input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected extraction to fail');
}

const spanWith = (hidden: HiddenSpan[], phrase: string) => hidden.find((s) => s.text.includes(phrase));

describe('hidden text in PDFs', () => {
  it('finds each kind, keeps it out of the text, and leaves the visible text exactly as a reader reads it', async () => {
    const generated = await hiddenTextResume();
    const doc = await extractDocument(generated.pdf);
    expect(doc.text).toBe(generated.truth);
    const expected: Array<[string, HiddenSpan['reason']]> = [
      [generated.hidden.white_text, 'white_text'],
      [generated.hidden.near_white, 'white_text'],
      [generated.hidden.tiny_text, 'tiny_text'],
      [generated.hidden.invisible_render_mode, 'invisible_render_mode'],
      [generated.hidden.transparent, 'white_text'],
      [generated.hidden.off_page, 'off_page'],
      [generated.hidden.under_image, 'under_image'],
      [generated.hidden.under_box, 'under_image'],
    ];
    for (const [phrase, reason] of expected) {
      expect(spanWith(doc.hidden, phrase), phrase).toMatchObject({ page: 1, reason });
      expect(doc.text).not.toContain(phrase.split(' ')[0]);
    }
    // White on a dark band is read, not flagged.
    expect(doc.text).toContain('Open-source maintainer of an asyncio rate limiter');
    expect(doc.hidden.some((s) => s.text.includes('maintainer'))).toBe(false);
  });

  it('cuts a hidden phrase out of the middle of a visible line and keeps the rest of the line', async () => {
    const c = await pdfCanvas();
    const page = c.addPage();
    const before = 'Python engineer, 9 years.';
    c.text(page, before, { x: 40, y: 700, size: 8 });
    const x = 40 + c.font.widthOfTextAtSize(`${before} `, 8);
    c.text(page, INJECTION, { x, y: 700, size: 8, color: rgb(1, 1, 1) });
    const after = 'Django and asyncio in production.';
    c.text(page, after, { x: x + c.font.widthOfTextAtSize(`${INJECTION} `, 8), y: 700, size: 8 });
    c.text(page, VISIBLE, { x: 72, y: 680 });
    const doc = await extractDocument(await c.save());
    expect(doc.text).toBe(`${before} ${after}\n${VISIBLE}`);
    expect(doc.hidden).toEqual([{ text: INJECTION, page: 1, reason: 'white_text' }]);
  });

  it('names the page a hidden span is on', async () => {
    const c = await pdfCanvas();
    c.text(c.addPage(), VISIBLE, { x: 72, y: 700 });
    const second = c.addPage();
    c.text(second, 'Page two is about Celery pipelines and Kafka consumers.', { x: 72, y: 700 });
    c.text(second, INJECTION, { x: 72, y: 680, size: 1.5 });
    const doc = await extractDocument(await c.save());
    expect(doc.hidden).toEqual([{ text: INJECTION, page: 2, reason: 'tiny_text' }]);
    expect(doc.text).not.toContain('Ignore');
  });

  it('keeps small but readable text (a 5 pt footnote) and light grey text', async () => {
    const c = await pdfCanvas();
    const page = c.addPage();
    c.text(page, VISIBLE, { x: 72, y: 700 });
    c.text(page, 'References available on request.', { x: 72, y: 60, size: 5 });
    c.text(page, 'Last updated March 2025', { x: 72, y: 40, color: rgb(0.6, 0.6, 0.6) });
    const doc = await extractDocument(await c.save());
    expect(doc.hidden).toEqual([]);
    expect(doc.text).toContain('References available on request.');
    expect(doc.text).toContain('Last updated March 2025');
  });

  it('reads invisible text over a scanned image as an OCR layer, with a warning', async () => {
    const c = await pdfCanvas();
    const page = c.addPage();
    const scan = await c.doc.embedPng(solidPng(16, 16, [250, 250, 245]));
    page.drawImage(scan, { x: 0, y: 0, width: 612, height: 792 });
    c.lines(page, [VISIBLE, 'Led the move of a monolith to event-driven services.'], {
      x: 72,
      y: 700,
      renderMode: 3,
    });
    const doc = await extractDocument(await c.save());
    expect(doc.hidden).toEqual([]);
    expect(doc.text).toBe(`${VISIBLE}\nLed the move of a monolith to event-driven services.`);
    expect(doc.warnings).toEqual([expect.stringMatching(/OCR layer/)]);
  });

  it('refuses a PDF whose only text is hidden, saying so, with 422', async () => {
    const c = await pdfCanvas();
    c.text(c.addPage(), VISIBLE, { x: 72, y: 700, color: rgb(1, 1, 1) });
    const error = await failure(await c.save());
    expect(error.status).toBe(422);
    expect(error.code).toBe('no_extractable_text');
    expect(error.message).toMatch(/hidden/);
  });
});

describe('hidden text in DOCX files', () => {
  const docx = (paragraphs: Parameters<typeof docxBody>[0], styles?: string) =>
    makeDocx(docxBody(paragraphs), styles);

  it('finds vanished, white, near-white and tiny runs, and keeps the visible text whole', async () => {
    const doc = await extractDocument(
      docx([
        VISIBLE,
        {
          runs: [
            'Built Kafka consumers. ',
            { text: 'vanished words here', props: '<w:vanish/>' },
            'Shipped.',
          ],
        },
        { runs: [{ text: 'white words here', props: '<w:color w:val="FFFFFF"/>' }] },
        { runs: [{ text: 'near white words', props: '<w:color w:val="FAFAFA"/>' }] },
        { runs: [{ text: 'tiny words here', props: '<w:sz w:val="6"/>' }] },
      ]),
    );
    expect(doc.text).toBe(`${VISIBLE}\n\nBuilt Kafka consumers. Shipped.`);
    expect(doc.hidden).toEqual([
      { text: 'vanished words here', page: null, reason: 'docx_vanish' },
      { text: 'white words here', page: null, reason: 'docx_white' },
      { text: 'near white words', page: null, reason: 'docx_white' },
      { text: 'tiny words here', page: null, reason: 'docx_tiny' },
    ]);
  });

  it('reads white text on dark shading (run, paragraph, table cell) and a switched-off vanish', async () => {
    const white = '<w:color w:val="FFFFFF"/>';
    const body =
      docxBody([
        VISIBLE,
        {
          runs: [
            { text: 'White on a dark run shading.', props: `${white}<w:shd w:val="clear" w:fill="1F3864"/>` },
          ],
        },
        {
          runs: [{ text: 'White on a dark paragraph.', props: white }],
          props: '<w:shd w:val="clear" w:fill="000000"/>',
        },
        { runs: [{ text: 'Vanish switched off.', props: '<w:vanish w:val="0"/>' }] },
      ]) +
      `<w:tbl><w:tr><w:tc><w:tcPr><w:shd w:val="clear" w:fill="222222"/></w:tcPr>${docxBody([
        { runs: [{ text: 'White in a dark table cell.', props: white }] },
      ])}</w:tc></w:tr></w:tbl>`;
    const doc = await extractDocument(makeDocx(body));
    expect(doc.hidden).toEqual([]);
    for (const text of [
      'White on a dark run shading.',
      'White on a dark paragraph.',
      'Vanish switched off.',
      'White in a dark table cell.',
    ]) {
      expect(doc.text).toContain(text);
    }
  });

  it('follows character styles, paragraph styles and their basedOn chains in styles.xml', async () => {
    const styles =
      '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>' +
      '<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="Ghost"><w:rPr><w:color w:val="FFFFFF"/></w:rPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="GhostNote"><w:basedOn w:val="Ghost"/></w:style>';
    const doc = await extractDocument(
      docx(
        [
          VISIBLE,
          { runs: ['Kept. ', { text: 'styled secret', style: 'Secret' }] },
          { runs: ['ghost paragraph text'], props: '<w:pStyle w:val="GhostNote"/>' },
          {
            runs: [{ text: 'Visible again in black.', props: '<w:color w:val="000000"/>' }],
            props: '<w:pStyle w:val="Ghost"/>',
          },
        ],
        styles,
      ),
    );
    expect(doc.hidden).toEqual([
      { text: 'styled secret', page: null, reason: 'docx_vanish' },
      { text: 'ghost paragraph text', page: null, reason: 'docx_white' },
    ]);
    expect(doc.text).toBe(`${VISIBLE}\n\nKept.\n\nVisible again in black.`);
  });

  it('refuses a DOCX whose only text is hidden, saying so', async () => {
    const error = await failure(docx([{ runs: [{ text: VISIBLE, props: '<w:vanish/>' }] }]));
    expect(error.code).toBe('no_extractable_text');
    expect(error.message).toMatch(/hidden/);
  });
});
