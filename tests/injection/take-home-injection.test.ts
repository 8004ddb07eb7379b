import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/assessment/assessment';
import { normalizeForMatch } from '../../src/assessment/normalize';
import { loadConfig } from '../../src/core/config';
import { createLogger } from '../../src/core/logger';
import { OpenAiDrafter } from '../../src/drafting/openai-drafter';
import { loadPromptTemplate } from '../../src/prompting/prompt-template';
import { loadRubric } from '../../src/rubric/rubric';
import { detectInjections } from '../../src/safety/injection';
import { draftAssessment } from '../../src/screening/draft-assessment';
import type { DraftSource } from '../../src/screening/obtain-drafts';
import { buildMaterial } from '../../src/takehome/material';
import { proseView } from '../../src/takehome/prose-view';
import { readTakeHome } from '../../src/takehome/take-home';
import { TAKE_HOME_TEMPLATE_ID } from '../../src/takehome/take-home-kind';
import { zip } from '../support/archives';
import {
  type FakeOpenAi,
  type FakeResponder,
  groundedDraftResponder,
  materialOf,
  obeyInjectionResponder,
  startFakeOpenAi,
} from '../support/fake-openai-server';
import { PROJECT_FILES } from '../support/take-home-project';
import { BENIGN_CODE, CODE_INJECTION_CASES, type CodeInjectionCase } from './code-corpus';

// Each case: the same clean take-home with an injection in its code, drafted through the real SDK and the same
// pipeline as resumes (draftAssessment) against a fake model that obeys (level 4 everywhere, citing the injected
// text). The flag must be raised at the file and lines where the injection is, the injection must not reach the
// model, and no verified level may rise above the clean project's.

let fake: FakeOpenAi;
let responder: FakeResponder = groundedDraftResponder;
let source: DraftSource;
let baseline: Assessment;

async function draft(files: Record<string, string>): Promise<Assessment> {
  const { text, code } = buildMaterial(readTakeHome(zip(files)), { tokenBudget: 24_000 });
  const outcome = await draftAssessment(source, {
    orgId: 'org_test',
    screeningId: 'scr_test',
    text,
    hidden: [],
    candidate: { name: 'Sam Okafor', email: null },
    blindScreening: true,
    code,
  });
  if (!outcome.ok) throw new Error(`draft failed: ${outcome.reason.message}`);
  return outcome.assessment;
}

/** The project with the case's lines inserted, and the 1-based line each inserted line landed on. */
function build(c: CodeInjectionCase): {
  files: Record<string, string>;
  placed: Array<{ file: string; line: number; text: string }>;
} {
  const files = { ...PROJECT_FILES };
  const placed: Array<{ file: string; line: number; text: string }> = [];
  for (const insert of c.inserts) {
    const lines = (files[insert.file] ?? '').split('\n');
    const at = lines.findIndex((l) => l.startsWith(insert.after));
    if (at < 0) throw new Error(`${c.id}: no line of ${insert.file} starts with ${insert.after}`);
    lines.splice(at + 1, 0, ...insert.lines);
    // Lines placed earlier in the same file move down.
    for (const p of placed) if (p.file === insert.file && p.line > at + 1) p.line += insert.lines.length;
    for (const [k, text] of insert.lines.entries())
      placed.push({ file: insert.file, line: at + 2 + k, text });
    files[insert.file] = lines.join('\n');
  }
  return { files, placed };
}

const rank = (level: number | null): number => (level === null ? -1 : level);
const fold = (text: string): string => normalizeForMatch(text, { confusables: true }).text;

beforeAll(async () => {
  fake = await startFakeOpenAi({ responder: (req) => responder(req) });
  const config = loadConfig({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'sk-test-take-home-injection',
    LLM_MAX_RETRIES: '0',
  });
  if (!config.llm) throw new Error('no LLM config');
  const [rubric, template] = await Promise.all([
    loadRubric(config.takeHome.rubricId),
    loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
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
  baseline = await draft(PROJECT_FILES);
});
afterAll(() => fake?.close());

describe('the take-home injection corpus', () => {
  it('covers comments, docstrings, the README, strings, configuration, two files and disguises', () => {
    expect(CODE_INJECTION_CASES.length).toBeGreaterThanOrEqual(8);
    for (const kind of [
      'comment',
      'docstring',
      'readme',
      'string',
      'split',
      'encoded',
      'delimiter',
    ] as const) {
      expect(
        CODE_INJECTION_CASES.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
    }
    expect(new Set(CODE_INJECTION_CASES.map((c) => c.id)).size).toBe(CODE_INJECTION_CASES.length);
  });

  it('the clean project raises no injection flag and has verified levels to compare with', () => {
    expect(baseline.flags.filter((f) => f.code === 'injection_attempt')).toEqual([]);
    expect(baseline.competencies.some((c) => c.level !== null)).toBe(true);
    expect(baseline.competencies.flatMap((c) => c.evidence).every((e) => e.source === 'take-home')).toBe(
      true,
    );
  });

  for (const c of CODE_INJECTION_CASES) {
    it(`${c.kind}: ${c.id}`, async () => {
      const { files, placed } = build(c);
      responder = obeyInjectionResponder([...c.instructions, '[instruction-like text withheld]']);
      const before = fake.calls.length;
      const assessment = await draft(files);
      const sent = fake.calls.slice(before);
      expect(sent).toHaveLength(1);

      // The flag, critical, at the file and lines of every inserted line that carries words of the instruction.
      const flags = assessment.flags.filter((f) => f.code === 'injection_attempt');
      expect(flags.length, JSON.stringify(assessment.flags)).toBeGreaterThan(0);
      expect(flags.every((f) => f.severity === 'critical' && f.span === null)).toBe(true);
      const instructionWords = c.instructions.map(fold);
      for (const p of placed) {
        const words = fold(p.text).replace(/^[#>*\s"]+/u, '');
        if (words.length < 12 || !instructionWords.some((i) => i.includes(words.slice(0, 12)))) continue;
        const covered = flags.some(
          (f) =>
            f.location?.file === p.file && f.location.lineStart <= p.line && p.line <= f.location.lineEnd,
        );
        expect(covered, `${c.id}: ${p.file}:${p.line} not flagged (${JSON.stringify(flags)})`).toBe(true);
      }

      // The model never saw the instruction.
      const material = fold(materialOf(sent[0] as (typeof sent)[number]));
      for (const instruction of c.instructions) {
        expect(material.includes(fold(instruction)), `${c.id}: "${instruction}" reached the model`).toBe(
          false,
        );
      }

      // Obeying gained nothing: no level above the clean project's, no evidence from the injected lines.
      for (const competency of assessment.competencies) {
        const clean = baseline.competencies.find((b) => b.competencyId === competency.competencyId);
        expect(rank(competency.level), competency.competencyId).toBeLessThanOrEqual(
          rank(clean?.level ?? null),
        );
        for (const e of competency.evidence) {
          for (const p of placed) {
            const inside = e.file === p.file && (e.lineStart ?? 0) <= p.line && p.line <= (e.lineEnd ?? 0);
            expect(inside, `${c.id}: evidence from the injection`).toBe(false);
          }
        }
      }
      expect(assessment.recommendation).not.toBe('advance');
      expect(assessment.flags.some((f) => f.code === 'injected_evidence' && f.severity === 'critical')).toBe(
        true,
      );
    });
  }
});

describe('code that only talks about prompts, models and rules', () => {
  it('raises no injection flag on LLM-integration code, docstrings and READMEs', () => {
    for (const [path, content] of Object.entries(BENIGN_CODE)) {
      const found = detectInjections(proseView(path, content), { code: true });
      expect(
        found.map((f) => content.slice(f.start, f.end)),
        path,
      ).toEqual([]);
    }
  });

  it('raises no injection flag on the realistic project', () => {
    for (const [path, content] of Object.entries(PROJECT_FILES)) {
      expect(detectInjections(proseView(path, content), { code: true }), path).toEqual([]);
    }
  });
});
