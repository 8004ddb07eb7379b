/**
 * `npm run bench -- take-home`: what a take-home costs in tokens, and what the trust work costs in time on code.
 *
 * Two projects: the realistic small one the tests use (tests/support/take-home-project.ts) and a large one (the same
 * project copied into 30 packages, so the material is cut at `VETLINE_TAKE_HOME_TOKEN_BUDGET`, 24,000 estimated
 * tokens). Each is read as intake reads it, rendered under the budget and built into the messages the LLM drafter
 * sends (tokens counted with gpt-tokenizer, o200k_base); the completion is the offline drafter's draft as JSON, a
 * stand-in of realistic size. Then the time of material preparation (`prepareMaterial` with the code layout:
 * injection detection on the prose view, blind-screening redaction of code and the leak check) and of the verifier
 * (`groundDraft`: every quote located and told as a file and lines), over many runs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { groundDraft } from '../src/assessment/grounding';
import { buildMessages } from '../src/prompting/build-messages';
import { loadPromptTemplate } from '../src/prompting/prompt-template';
import { loadRubric } from '../src/rubric/rubric';
import { prepareMaterial } from '../src/safety/prepare-material';
import { buildMaterial } from '../src/takehome/material';
import { draftTakeHomeOffline } from '../src/takehome/offline-take-home';
import { readTakeHome } from '../src/takehome/take-home';
import { TAKE_HOME_TEMPLATE_ID } from '../src/takehome/take-home-kind';
import { zip } from '../tests/support/archives';
import { CLUTTER, PROJECT_FILES } from '../tests/support/take-home-project';

const RUNS = Number(process.env.BENCH_ITERATIONS ?? 100);
const BUDGET = 24_000;
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

function time(fn: () => unknown, runs: number): { p50: number; p99: number; mean: number } {
  for (let i = 0; i < Math.min(10, runs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
  };
}

const large: Record<string, string> = {};
for (let i = 0; i < 30; i++) {
  for (const [file, content] of Object.entries(PROJECT_FILES)) {
    large[file.replace('orders-service/', `orders-service/pkg${i}/`)] = content;
  }
}
const projects: Array<[string, Record<string, string | Uint8Array>]> = [
  ['realistic (with clutter)', { ...PROJECT_FILES, ...CLUTTER }],
  ['large (the same in 30 packages)', large],
];

const [rubric, template] = await Promise.all([
  loadRubric('senior-python-take-home'),
  loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
]);
const rows: string[] = [];
const timing: string[] = [];
for (const [name, files] of projects) {
  const stored = readTakeHome(zip(files));
  const { text, code, shown, omitted } = buildMaterial(stored, { tokenBudget: BUDGET });
  const input = {
    text,
    hidden: [],
    candidate: { name: 'Sam Okafor', email: 'sam.okafor@example.net' },
    blindScreening: true,
    code,
  };
  const prepared = prepareMaterial(input);
  if (!prepared.ok) throw new Error(`${name}: ${prepared.message}`);
  const { material, injections } = prepared.prepared;
  const built = buildMessages(template, rubric, material.text);
  const prefix = countTokens(built.system);
  const user = countTokens(built.user);
  const draft = draftTakeHomeOffline(material.text, rubric);
  const completion = countTokens(JSON.stringify(draft));
  rows.push(
    `| ${name} | ${stored.files.length} | ${shown.length} / ${shown.length + omitted.length} | ${text.length} | ${prefix + user} | ${prefix} (${Math.round((100 * prefix) / (prefix + user))}%) | ${user} | ${completion} |`,
  );

  const source = { material, injections, hidden: [], code };
  const grounded = groundDraft(draft, source, rubric);
  const prep = time(() => prepareMaterial(input), RUNS);
  const verify = time(() => groundDraft(draft, source, rubric), RUNS);
  const f = (n: number) => n.toFixed(2);
  timing.push(
    `| ${name} | ${f(prep.p50)} | ${f(prep.p99)} | ${f(prep.mean)} | ${grounded.stats.verified} of ${grounded.stats.quotes} | ${f(verify.p50)} | ${f(verify.p99)} | ${f(verify.mean)} |`,
  );
}

const out = [
  `Tokens per take-home (gpt-tokenizer o200k_base; template ${template.id} ${template.version}, rubric ${rubric.id} ${rubric.version}, budget ${BUDGET}):`,
  '',
  '| Project | Files read | Chunks shown | Rendered chars | Prompt tokens | Cacheable prefix | Material (user message) | Completion (draft JSON) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  `Preparation (prepareMaterial on code: injections on the prose view, blind screening, leak check) and verifier (groundDraft to files and lines), ${RUNS} runs each after 10 warm-up:`,
  '',
  '| Project | prepare p50 ms | p99 ms | mean ms | quotes verified | verify p50 ms | p99 ms | mean ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...timing,
  '',
].join('\n');
process.stdout.write(out);
writeFileSync(path.join(import.meta.dirname, 'results-take-home.md'), out);
