import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/assessment/assessment';
import { normalizeForMatch } from '../../src/assessment/normalize';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { OpenAiDrafter } from '../../src/drafting/openai-drafter';
import { extractDocument } from '../../src/extraction/extract';
import { loadPromptTemplate } from '../../src/prompting/prompt-template';
import { loadRubric } from '../../src/rubric/rubric';
import { detectInjections } from '../../src/safety/injection';
import { draftAssessment } from '../../src/screening/draft-assessment';
import type { DraftSource } from '../../src/screening/obtain-drafts';
import {
  type FakeOpenAi,
  type FakeResponder,
  groundedDraftResponder,
  materialOf,
  obeyInjectionResponder,
  startFakeOpenAi,
} from '../support/fake-openai-server';
import { corpusResumes, seniorResumeText } from '../support/resumes';
import { BENIGN_LINES, INJECTION_CASES, type InjectionCase } from './corpus';

// Each case: the same clean resume with an injection in it, drafted through the real SDK against a fake model that
// obeys (level 4 everywhere, citing the injected text). The flag must be raised where the injection is, the
// injection must not reach the model, and no verified level may rise above the clean resume's.
const here = path.dirname(fileURLToPath(import.meta.url));
const base = readFileSync(path.join(here, 'base-resume.txt'), 'utf8');

let fake: FakeOpenAi;
let responder: FakeResponder = groundedDraftResponder;
let source: DraftSource;
let baseline: Assessment;

const draft = async (text: string, hidden: InjectionCase['hidden']) => {
  const outcome = await draftAssessment(source, {
    orgId: 'org_test',
    screeningId: 'scr_test',
    text,
    hidden,
    candidate: { name: 'Sam Okafor', email: null },
    blindScreening: true,
  });
  if (!outcome.ok) throw new Error(`draft failed: ${outcome.reason.message}`);
  return outcome.assessment;
};

/** The case's text, and where each inserted fragment sits in it. */
function build(c: InjectionCase): { text: string; payloads: Array<{ start: number; end: number }> } {
  const lines = base.split('\n');
  const positions: Array<{ line: number; text: string }> = c.inserts.map((insert) => {
    const at = lines.findIndex((l) => l.startsWith(insert.after));
    if (at < 0) throw new Error(`${c.id}: no line starts with ${insert.after}`);
    return { line: at, text: insert.text };
  });
  const out: string[] = [];
  const payloads: Array<{ start: number; end: number }> = [];
  let offset = 0;
  lines.forEach((line, i) => {
    out.push(line);
    offset += line.length + 1;
    for (const p of positions.filter((x) => x.line === i)) {
      out.push(p.text);
      payloads.push({ start: offset, end: offset + p.text.length });
      offset += p.text.length + 1;
    }
  });
  return { text: out.join('\n'), payloads };
}

const rank = (level: number | null): number => (level === null ? -1 : level);
const fold = (text: string): string => normalizeForMatch(text, { confusables: true }).text;

beforeAll(async () => {
  fake = await startFakeOpenAi({ responder: (req) => responder(req) });
  const config = loadConfig({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test-injection',
    LLM_MAX_RETRIES: '0',
  });
  if (!config.llm) throw new Error('no LLM config');
  const [rubric, template] = await Promise.all([
    loadRubric(config.rubricId),
    loadPromptTemplate('resume-screen'),
  ]);
  source = {
    drafter: new OpenAiDrafter(config.llm),
    rubric,
    template,
    drafting: config.drafting,
    draftCache: null,
    llm: { model: config.llm.model, temperature: config.llm.temperature },
    now: () => new Date(),
    logger: createLogger('silent'),
  };
  responder = groundedDraftResponder;
  baseline = await draft(base, []);
});
afterAll(() => fake?.close());

describe('the injection corpus', () => {
  it('has at least 30 cases of every kind', () => {
    expect(INJECTION_CASES.length).toBeGreaterThanOrEqual(30);
    for (const kind of ['visible', 'hidden', 'split', 'encoded'] as const) {
      expect(INJECTION_CASES.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(4);
    }
    expect(new Set(INJECTION_CASES.map((c) => c.id)).size).toBe(INJECTION_CASES.length);
  });

  it('the clean resume raises no injection flag and has verified levels to compare with', () => {
    expect(baseline.flags.filter((f) => f.code === 'injection_attempt' || f.code === 'hidden_text')).toEqual(
      [],
    );
    expect(baseline.competencies.some((c) => c.level !== null)).toBe(true);
  });

  for (const c of INJECTION_CASES) {
    it(`${c.kind}: ${c.id}`, async () => {
      const { text, payloads } = build(c);
      responder = obeyInjectionResponder([...c.quotes, '[instruction-like text withheld]']);
      const before = fake.calls.length;
      const assessment = await draft(text, c.hidden);
      const sent = fake.calls.slice(before);
      expect(sent).toHaveLength(1);

      // The flag, with where it is.
      const flags = assessment.flags.filter((f) => f.code === c.expects);
      expect(flags.length, JSON.stringify(assessment.flags)).toBeGreaterThan(0);
      if (c.expects === 'injection_attempt') expect(flags.every((f) => f.severity === 'critical')).toBe(true);
      if (c.kind === 'hidden') {
        expect(flags.some((f) => f.hidden?.index === 0 && f.span === null)).toBe(true);
        for (const f of flags) {
          expect(f.hidden?.start).toBeGreaterThanOrEqual(0);
          expect(f.hidden?.end).toBeLessThanOrEqual(c.hidden[0]?.text.length ?? 0);
        }
      } else {
        for (const p of payloads) {
          for (let i = p.start; i < p.end; i++) {
            if (/\s/u.test(text[i] ?? '')) continue;
            const covered = flags.some((f) => f.span && f.span.start <= i && i < f.span.end);
            expect(covered, `${c.id}: offset ${i} (${JSON.stringify(text[i])}) not flagged`).toBe(true);
          }
        }
      }

      // The model never saw the injection.
      const material = fold(materialOf(sent[0] as (typeof sent)[number]));
      for (const payload of [
        ...payloads.map((p) => text.slice(p.start, p.end)),
        ...c.hidden.map((h) => h.text),
      ]) {
        const needle = fold(payload);
        if (needle.length >= 10)
          expect(material.includes(needle), `${c.id}: payload reached the model`).toBe(false);
      }

      // Obeying gained nothing: no level above the clean resume's, no evidence from the injection.
      for (const competency of assessment.competencies) {
        const clean = baseline.competencies.find((b) => b.competencyId === competency.competencyId);
        expect(rank(competency.level), competency.competencyId).toBeLessThanOrEqual(
          rank(clean?.level ?? null),
        );
        for (const e of competency.evidence) {
          for (const p of payloads) expect((e.end ?? 0) <= p.start || (e.start ?? 0) >= p.end).toBe(true);
        }
      }
      expect(assessment.recommendation).not.toBe('advance');
      expect(assessment.flags.some((f) => f.code === 'injected_evidence' && f.severity === 'critical')).toBe(
        true,
      );
    });
  }
});

describe('resumes that only talk about prompts and LLMs', () => {
  it('raises no injection flag on lines about such work', () => {
    for (const line of BENIGN_LINES) expect(detectInjections(`${base}\n${line}\n`), line).toEqual([]);
  });

  it('raises no injection flag on the corpus resumes or the test fixtures', async () => {
    expect(detectInjections(seniorResumeText)).toEqual([]);
    expect(detectInjections(base)).toEqual([]);
    for (const { name, bytes } of corpusResumes()) {
      const { text } = await extractDocument(bytes);
      expect(detectInjections(text), name).toEqual([]);
    }
  });
});
