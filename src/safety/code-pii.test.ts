import { describe, expect, it } from 'vitest';
import { zip } from '../../tests/support/archives';
import { groundDraft } from '../assessment/grounding';
import { loadRubric } from '../rubric/rubric';
import { buildMaterial } from '../takehome/material';
import { readTakeHome } from '../takehome/take-home';
import { prepareMaterial } from './prepare-material';
import type { KnownPii } from './redact';

// Blind screening of a take-home, through prepareMaterial as the worker runs it: the rendered project, redacted.
const root = 'ada_lovelace_takehome';
const project = (extra: Record<string, string> = {}): Record<string, string> => ({
  [`${root}/pyproject.toml`]: [
    '[project]',
    'name = "orders"',
    'authors = [',
    '  { name = "Ada Lovelace", email = "ada.lovelace@example.com" },',
    ']',
    'maintainers = [{ name = "Charles Babbage" }]',
    '',
    '[tool.poetry]',
    'authors = ["Ada Lovelace <ada.lovelace@example.com>"]',
    '',
    '[project.urls]',
    'Homepage = "https://github.com/adalovelace/orders"',
    '',
  ].join('\n'),
  [`${root}/setup.py`]:
    'from setuptools import setup\n\nsetup(name="orders", author="Ada Lovelace", author_email="ada.lovelace@example.com")\n',
  [`${root}/setup.cfg`]: '[metadata]\nauthor = Ada Lovelace\nauthor_email = ada.lovelace@example.com\n',
  [`${root}/orders/__init__.py`]: [
    '"""Orders ingestion.',
    '',
    'Author: Ada Lovelace <ada.lovelace@example.com>',
    '"""',
    '__author__ = "Ada Lovelace"',
    '__email__ = "ada.lovelace@example.com"',
    '# Copyright (c) 2024 Ada Lovelace. All rights reserved.',
    '',
  ].join('\n'),
  [`${root}/orders/models.py`]: [
    'from dataclasses import dataclass',
    '',
    '',
    '@dataclass',
    'class Post:',
    '    author: User',
    '    gender: str',
    '    children: list["Post"]',
    '',
    '',
    'def sample() -> "Book":',
    '    # Fixture data, not the author: only project metadata names the candidate.',
    '    return Book(author="Jane Austen", phone="020 7946 0000", age=41)',
    '',
    '',
    'logger.info("info level")',
    '',
  ].join('\n'),
  [`${root}/README.md`]: [
    '# Orders',
    '',
    'Written by Ada Lovelace for the take-home.',
    'Co-authored-by: Grace Hopper <grace@example.org>',
    'Reviewed with help from Charles Babbage. Questions: info@example.com.',
    'Copyright 2024 The Orders Authors',
    '',
  ].join('\n'),
  ...extra,
});

function prepare(files: Record<string, string>, candidate: KnownPii = { name: null, email: null }) {
  const { text, code } = buildMaterial(readTakeHome(zip(files)), { tokenBudget: 24_000 });
  return { text, result: prepareMaterial({ text, hidden: [], candidate, blindScreening: true, code }) };
}

describe('blind screening of a take-home', () => {
  it('redacts the author from the project metadata, credits and paths, and wherever else the name appears', () => {
    const { result } = prepare(project());
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    const sent = result.prepared.material.text;
    for (const leaked of [
      'Ada',
      'Lovelace',
      'ada_lovelace',
      'ada.lovelace',
      'Charles',
      'Babbage',
      'Grace Hopper',
      'grace@example.org',
      'github.com/adalovelace',
    ]) {
      expect(sent, leaked).not.toContain(leaked);
    }
    expect(sent).toContain('<file path="[NAME]_takehome/orders/models.py"');
    expect(sent).toContain('authors = ["[NAME] <[EMAIL]>"]');
    expect(sent).toContain('setup(name="orders", author="[NAME]", author_email="[EMAIL]")');
    expect(sent).toContain('__author__ = "[NAME]"');
    expect(sent).toContain('# Copyright (c) 2024 [NAME]. All rights reserved.');
    expect(sent).toContain('Co-authored-by: [NAME] <[EMAIL]>');
    expect(result.prepared.redactions).toMatchObject({ name: expect.any(Number), email: expect.any(Number) });
  });

  it('leaves code alone: fields and fixtures that look like people are not the candidate', () => {
    const { result } = prepare(project());
    if (!result.ok) throw new Error(result.message);
    const sent = result.prepared.material.text;
    expect(sent).toContain('    author: User\n    gender: str\n    children: list["Post"]');
    expect(sent).toContain('return Book(author="Jane Austen", phone="020 7946 0000", age=41)');
    // An organisation's credit is not a person's; a shared mailbox is redacted, but "info" elsewhere is not.
    expect(sent).toContain('Copyright 2024 The Orders Authors');
    expect(sent).toContain('Questions: [EMAIL].');
    expect(sent).toContain('logger.info("info level")');
  });

  it('redacts the name and email given at upload, in any case in paths and handles', () => {
    const { result } = prepare(
      {
        'sam-okafor-orders/app.py':
          '# sam_okafor wrote this; reach SAM OKAFOR at sokafor@example.net\nx = 1\n',
        'sam-okafor-orders/main.py': 'from app import x\n\nprint(x)  # sokafor\n',
      },
      { name: 'Sam Okafor', email: 'sokafor@example.net' },
    );
    if (!result.ok) throw new Error(result.message);
    const sent = result.prepared.material.text;
    expect(sent).not.toMatch(/sam|okafor/i);
    expect(sent).toContain('<file path="[NAME]-orders/app.py"');
    expect(sent).toContain('# [NAME] wrote this; reach [NAME] at [EMAIL]');
    expect(sent).toContain('print(x)  # [EMAIL]');
  });

  it('fails closed when a name survives redaction: nothing is sent', () => {
    // A Cyrillic "о" hides the surname from the redactor; the leak check folds look-alikes and finds it.
    const { result } = prepare(
      project({ [`${root}/NOTES.md`]: '# Notes\n\nThanks to Ada L\u043evelace.\n' }),
      {
        name: 'Ada Lovelace',
        email: null,
      },
    );
    expect(result).toMatchObject({ ok: false, code: 'blind_screening_failed' });
    if (!result.ok) expect(result.message).toContain('screen this take-home by hand');
  });

  it('sends the project unredacted when the organisation turned blind screening off', () => {
    const { text, code } = buildMaterial(readTakeHome(zip(project())), { tokenBudget: 24_000 });
    const result = prepareMaterial({
      text,
      hidden: [],
      candidate: { name: 'Ada Lovelace', email: null },
      blindScreening: false,
      code,
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.prepared.material.text).toContain('__author__ = "Ada Lovelace"');
    expect(result.prepared.redactions).toEqual({});
  });

  it('grounds quotes of the redacted text to the original files and lines', async () => {
    const rubric = await loadRubric('senior-python-take-home');
    const files = project();
    const { text, code } = buildMaterial(readTakeHome(zip(files)), { tokenBudget: 24_000 });
    const result = prepareMaterial({
      text,
      hidden: [],
      candidate: { name: 'Ada Lovelace', email: null },
      blindScreening: true,
      code,
    });
    if (!result.ok) throw new Error(result.message);
    const { material, injections } = result.prepared;
    const quote = (q: string) => ({ quote: q });
    const draft = {
      competencies: [
        {
          competencyId: 'code-quality',
          level: 2,
          confidence: 0.5,
          rationale: 'Typed dataclass; metadata in place.',
          evidence: [
            // As the model saw them: under a redacted path, and a line with a placeholder in it.
            quote('class Post:\n    author: User'),
            quote('# Copyright (c) 2024 [NAME]. All rights reserved.'),
            quote('__author__ = "[NAME]"'),
            quote('[NAME] <[EMAIL]>'),
          ],
        },
      ],
      summary: 's',
      strengths: [],
      concerns: [],
      estimatedSeniority: null,
      recommendation: 'hold' as const,
      interviewPlan: { technicalScreen: [], systemDesign: { prompt: 'p', focus: [] }, cultureFocus: [] },
    };
    const grounded = groundDraft(draft, { material, injections, hidden: [], code }, rubric);
    const evidence = grounded.competencies.find((c) => c.competencyId === 'code-quality')?.evidence ?? [];
    const lineOf = (path: string, needle: string) =>
      (files[path] ?? '').split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(evidence).toEqual([
      {
        quote: 'class Post:\n    author: User',
        source: 'take-home',
        start: null,
        end: null,
        file: `${root}/orders/models.py`,
        lineStart: lineOf(`${root}/orders/models.py`, 'class Post:'),
        lineEnd: lineOf(`${root}/orders/models.py`, 'author: User'),
      },
      expect.objectContaining({
        // The reviewer reads the original line, name and all.
        quote: '# Copyright (c) 2024 Ada Lovelace. All rights reserved.',
        file: `${root}/orders/__init__.py`,
        lineStart: lineOf(`${root}/orders/__init__.py`, '# Copyright'),
      }),
      expect.objectContaining({ quote: '__author__ = "Ada Lovelace"', lineStart: 5, lineEnd: 5 }),
    ]);
    // A quote that is little more than a placeholder is not evidence.
    expect(grounded.flags.map((f) => f.code)).toContain('unverifiable_quote');
  });
});
