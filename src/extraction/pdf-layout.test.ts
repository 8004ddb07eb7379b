import { describe, expect, it } from 'vitest';
import {
  singleColumnResume,
  skillsTable,
  twoColumnResume,
  twoEqualColumns,
} from '../../tests/support/generated-resumes';
import { extractDocument } from './extract';
import { cleanPdfText, normaliseBullets } from './extract-pdf';
import { layOutPage, type PositionedText } from './pdf-layout';

const run = (
  text: string,
  x: number,
  y: number,
  size = 10,
  width = text.length * size * 0.5,
): PositionedText => ({
  text,
  x,
  y,
  width,
  size,
  hasEOL: false,
  horizontal: true,
  fontName: 'F1',
});

const page = (items: PositionedText[]) => ({ pageNumber: 1, width: 612, height: 792, items });

describe('reading order of generated PDFs', () => {
  it.each([
    ['one column with right-aligned dates and a hyphenated line break', singleColumnResume],
    ['a sidebar and a main column under a full-width name', twoColumnResume],
    ['two columns of paragraphs whose baselines line up', twoEqualColumns],
    ['a skills table set with tab stops, read row by row', skillsTable],
  ])('%s', async (_, generate) => {
    const generated = await generate();
    const doc = await extractDocument(generated.pdf);
    expect(doc.text).toBe(generated.truth);
    expect(doc.hidden).toEqual([]);
  });
});

describe('layOutPage', () => {
  it('reads a two-column region column by column between full-width lines', () => {
    const left = ['Skills', 'Python', 'Django', 'Postgres'];
    const right = [
      'Experience',
      'Built asyncio services',
      'Tuned slow queries',
      'Led a team of four',
      'Mentored juniors',
    ];
    const items = [
      run('Ada Example, backend engineer, Berlin, ada@example.test, +49 30 1234', 40, 760),
      ...left.map((t, i) => run(t, 40, 700 - i * 17)),
      ...right.map((t, i) => run(t, 300, 703 - i * 13)),
      run('References on request; portfolio and talks at example.test/ada, updated 2025', 40, 560),
    ];
    expect(layOutPage(page(items)).split('\n')).toEqual([
      'Ada Example, backend engineer, Berlin, ada@example.test, +49 30 1234',
      ...left,
      ...right,
      'References on request; portfolio and talks at example.test/ada, updated 2025',
    ]);
  });

  it('keeps rows whose cells share baselines together (labels and values), and turns tabs into spaces', () => {
    const rows = [
      ['Languages', 'Python\tGo'],
      ['Databases', 'PostgreSQL'],
      ['Cloud', 'AWS'],
      ['Queues', 'Kafka'],
    ];
    const items = rows.flatMap(([label = '', value = ''], i) => [
      run(label, 72, 700 - i * 14),
      run(value, 220, 700 - i * 14),
    ]);
    expect(layOutPage(page(items))).toBe(
      'Languages Python Go\nDatabases PostgreSQL\nCloud AWS\nQueues Kafka',
    );
  });

  it('does not take a column of dates for a second column', () => {
    const items = [0, 1, 2, 3].flatMap((i) => [
      run(`Role ${i} at Company ${i}`, 72, 700 - i * 40),
      run('2019 - 2021', 480, 700 - i * 40),
      run(`Did work number ${i} with Python across the entire platform and more`, 72, 686 - i * 40),
    ]);
    const lines = layOutPage(page(items)).split('\n');
    expect(lines[0]).toBe('Role 0 at Company 0 2019 - 2021');
    expect(lines[1]).toBe('Did work number 0 with Python across the entire platform and more');
  });
});

describe('bullets', () => {
  it('turns Symbol and Wingdings bullets into "•" and separates a glued bullet from its word', () => {
    expect(normaliseBullets('\uf0b7 Led the team\n\uf0a7 Shipped\n•Built')).toBe(
      '• Led the team\n• Shipped\n• Built',
    );
  });

  it('drops lone private-use icon glyphs but keeps the words around them', () => {
    expect(cleanPdfText('\ue0b0 +49 30 1234 \uf095 ada@example.test')).toBe('+49 30 1234 ada@example.test');
  });
});
