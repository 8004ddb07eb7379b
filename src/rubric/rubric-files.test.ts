import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRubric, promptsDir } from './rubric';

/** Every rubric this repository ships, held to the same rules: a new file is checked without being listed here. */
const files = (await readdir(path.join(promptsDir(), 'rubrics'))).filter((f) => f.endsWith('.yaml')).sort();
const ids = files.map((f) => f.replace(/\.yaml$/, ''));

describe('every rubric file', () => {
  it('is found (at least the backend, data-engineer and take-home rubrics)', () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'senior-python-backend',
        'senior-python-data-engineer',
        'senior-python-take-home',
      ]),
    );
  });

  it.each(ids)('%s loads, is named after its id, and anchors five levels per competency', async (id) => {
    const rubric = await loadRubric(id);
    expect(rubric.id).toBe(id);
    expect(rubric.title.length).toBeGreaterThan(5);
    for (const c of rubric.competencies) {
      expect(
        c.levels.map((l) => l.label),
        c.id,
      ).toEqual(['none', 'exposure', 'working', 'senior', 'expert']);
      expect(new Set(c.signals.map((s) => s.id)).size, c.id).toBe(c.signals.length);
      expect(new Set(c.redFlags.map((f) => f.id)).size, c.id).toBe(c.redFlags.length);
      // Naming a tool is never senior evidence: every competency needs signals of ownership, scale or design.
      expect(Math.max(...c.signals.map((s) => s.suggests)), c.id).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(ids)('%s has patterns that all compile with the flags the drafter uses', async (id) => {
    const rubric = await loadRubric(id);
    for (const c of rubric.competencies) {
      for (const p of [...c.signals.map((s) => s.pattern), ...c.redFlags.map((f) => f.pattern)]) {
        if (p !== null) expect(() => new RegExp(p, 'giu'), `${c.id}: ${p}`).not.toThrow();
      }
    }
  });

  it.each(ids)('%s, when a resume rubric, has 6-15 signals and 2-5 red flags per competency', async (id) => {
    const rubric = await loadRubric(id);
    if (rubric.kind !== 'resume') return;
    for (const c of rubric.competencies) {
      expect(c.signals.length, c.id).toBeGreaterThanOrEqual(6);
      expect(c.signals.length, c.id).toBeLessThanOrEqual(15);
      expect(c.redFlags.length, c.id).toBeGreaterThanOrEqual(2);
      expect(c.redFlags.length, c.id).toBeLessThanOrEqual(5);
    }
  });

  it('gives every rubric a distinct title, so a reviewer can tell them apart in a list', async () => {
    const titles = await Promise.all(ids.map(async (id) => (await loadRubric(id)).title));
    expect(new Set(titles).size).toBe(titles.length);
  });
});
