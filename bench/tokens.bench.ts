/**
 * `npm run bench:tokens` — what a screening costs in tokens, and what grounding costs in time.
 *
 * For each resume in ../shared/corpus/resumes: extracted, prepared (blind screening on, injections withheld) and
 * built into the two messages exactly as the LLM drafter sends them; tokens counted with gpt-tokenizer (o200k_base,
 * the GPT-4o / GPT-4.1 encoding): the prompt, the cacheable static prefix (the system message, byte-identical for
 * every candidate) and a completion (the offline drafter's draft of the same resume serialised as the JSON a model
 * returns: a stand-in of realistic size, since no model runs here). Then the verifier: `groundDraft` over that
 * draft, timed over many runs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { groundDraft } from '../src/assessment/grounding';
import { draftOffline } from '../src/drafting/offline-drafter';
import { extractDocument } from '../src/extraction/extract';
import { buildMessages } from '../src/prompting/build-messages';
import { loadPromptTemplate } from '../src/prompting/prompt-template';
import { loadRubric } from '../src/rubric/rubric';
import { prepareMaterial } from '../src/safety/prepare-material';
import { corpusResumes } from '../tests/support/resumes';
import { percentile } from './stats';

const RUNS = Number(process.env.BENCH_ITERATIONS ?? 500);

const [rubric, template] = await Promise.all([
  loadRubric('senior-python-backend'),
  loadPromptTemplate('resume-screen'),
]);
const rows: string[] = [];
const timing: string[] = [];
for (const { name, bytes } of corpusResumes()) {
  const doc = await extractDocument(bytes);
  const prepared = prepareMaterial({
    text: doc.text,
    hidden: doc.hidden,
    candidate: { name: null, email: null },
    blindScreening: true,
  });
  if (!prepared.ok) throw new Error(`${name}: ${prepared.message}`);
  const { material } = prepared.prepared;
  const built = buildMessages(template, rubric, material.text);
  const prefix = countTokens(built.system);
  const user = countTokens(built.user);
  const draft = draftOffline(material.text, rubric);
  const completion = countTokens(JSON.stringify(draft));
  rows.push(
    `| ${name} | ${doc.text.length} | ${prefix + user} | ${prefix} (${Math.round((100 * prefix) / (prefix + user))}%) | ${user} | ${completion} |`,
  );

  const source = { material, injections: prepared.prepared.injections, hidden: doc.hidden };
  const quotes = draft.competencies.reduce((n, c) => n + c.evidence.length, 0);
  for (let i = 0; i < 50; i++) groundDraft(draft, source, rubric);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    groundDraft(draft, source, rubric);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  timing.push(
    `| ${name} | ${quotes} | ${percentile(times, 50).toFixed(3)} | ${percentile(times, 99).toFixed(3)} | ${mean.toFixed(3)} |`,
  );
}

const out = [
  `Tokens per screening (gpt-tokenizer o200k_base; template ${template.id} ${template.version}, rubric ${rubric.id} ${rubric.version}):`,
  '',
  '| Resume | Text chars | Prompt tokens | Cacheable prefix | Material (user message) | Completion (draft JSON) |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
  `Verifier (groundDraft: normalise, locate every quote, map through redactions, check injection and hidden spans), ${RUNS} runs after 50 warm-up:`,
  '',
  '| Resume | Quotes | p50 ms | p99 ms | mean ms |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...timing,
  '',
].join('\n');
process.stdout.write(out);
writeFileSync(path.join(import.meta.dirname, 'results-tokens.md'), out);
