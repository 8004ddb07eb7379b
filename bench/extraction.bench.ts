/**
 * `npm run bench` (second part) — PDF extraction: speed per page and fidelity against `pdftotext` (poppler-utils).
 *
 * For every resume in `../shared/corpus/resumes/` and every PDF in `tests/support/generated-resumes.ts`:
 * - time per page of `extractDocument` (median of runs after warm-up, in process) and of `pdftotext` (median of
 *   runs, a process each, so it includes process start);
 * - word-level F1 of Vetline's text against pdftotext's (bag of words: letters and digits, case-folded, NFKC), and
 *   bigram F1 (pairs of consecutive words: a reading-order check that a bag of words cannot make);
 * - for the generated PDFs, whose true reading is known (hidden text excluded), both tools against the truth;
 * - the part of Vetline's time spent decoding the streams with a budget before pdf.js (`pdf-streams.ts`), and the
 *   time it takes to refuse a PDF whose content stream inflates to a gigabyte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractDocument } from '../src/extraction/extract';
import { checkPdfStreams } from '../src/extraction/pdf-streams';
import { pdfBomb } from '../tests/support/bombs';
import { generatedResumes } from '../tests/support/generated-resumes';

const runs = Number(process.env.BENCH_EXTRACTION_RUNS ?? 15);
const warmup = 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.resolve(root, '../shared/corpus/resumes');

interface Case {
  name: string;
  pdf: Uint8Array;
  truth: string | null;
}

interface Row {
  name: string;
  pages: number;
  oursMsPerPage: number;
  scanMsPerPage: number;
  popplerMsPerPage: number;
  wordF1: number;
  bigramF1: number;
  oursTruthF1: number | null;
  popplerTruthF1: number | null;
  hiddenSpans: number;
}

export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** F1 of two multisets. */
export function f1(predicted: readonly string[], reference: readonly string[]): number {
  if (predicted.length === 0 && reference.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const w of reference) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of predicted) {
    const left = counts.get(w) ?? 0;
    if (left > 0) {
      overlap++;
      counts.set(w, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / predicted.length;
  const recall = overlap / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

const bigrams = (tokens: readonly string[]) => tokens.slice(1).map((w, i) => `${tokens[i]} ${w}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function pdftotext(file: string): { text: string; ms: number } {
  const t0 = performance.now();
  const out = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (out.status !== 0) throw new Error(`pdftotext failed on ${file}: ${out.stderr}`);
  return { text: out.stdout, ms };
}

async function measure(item: Case, dir: string): Promise<Row> {
  const file = path.join(dir, `${item.name.replace(/\W+/g, '-')}.pdf`);
  writeFileSync(file, item.pdf);
  const doc = await extractDocument(item.pdf);
  const pages = doc.pageCount ?? 1;
  const ours: number[] = [];
  const scans: number[] = [];
  const theirs: number[] = [];
  let poppler = '';
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    await extractDocument(item.pdf);
    const elapsed = performance.now() - t0;
    const t1 = performance.now();
    await checkPdfStreams(item.pdf);
    const scanned = performance.now() - t1;
    const p = pdftotext(file);
    poppler = p.text;
    if (i >= warmup) {
      ours.push(elapsed);
      scans.push(scanned);
      theirs.push(p.ms);
    }
  }
  const mine = words(doc.text);
  const reference = words(poppler);
  const truth = item.truth === null ? null : words(item.truth);
  return {
    name: item.name,
    pages,
    oursMsPerPage: median(ours) / pages,
    scanMsPerPage: median(scans) / pages,
    popplerMsPerPage: median(theirs) / pages,
    wordF1: f1(mine, reference),
    bigramF1: f1(bigrams(mine), bigrams(reference)),
    oursTruthF1: truth ? f1(bigrams(mine), bigrams(truth)) : null,
    popplerTruthF1: truth ? f1(bigrams(reference), bigrams(truth)) : null,
    hiddenSpans: doc.hidden.length,
  };
}

const fmt = (n: number | null, digits = 3) => (n === null ? '—' : n.toFixed(digits));

function table(rows: Row[]): string {
  const header =
    '| PDF | pages | Vetline ms/page | of which stream check | pdftotext ms/page | word F1 vs pdftotext | ' +
    'bigram F1 vs pdftotext | bigram F1 vs truth: Vetline | bigram F1 vs truth: pdftotext | hidden spans |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.pages} | ${fmt(r.oursMsPerPage, 1)} | ${fmt(r.scanMsPerPage, 1)} | ` +
      `${fmt(r.popplerMsPerPage, 1)} | ${fmt(r.wordF1)} | ` +
      `${fmt(r.bigramF1)} | ${fmt(r.oursTruthF1)} | ${fmt(r.popplerTruthF1)} | ${r.hiddenSpans} |`,
  );
  return [header, rule, ...lines].join('\n');
}

/** How long refusing a gigabyte bomb takes: the stream check decodes up to its budget, then stops. */
async function refusingABomb(): Promise<{
  fileBytes: number;
  ms: number;
  code: string;
  decodedBytes: number;
  runs: number;
}> {
  const { pdf } = pdfBomb({ text: 'Senior Python engineer', inflatedBytes: 2 ** 30 });
  const times: number[] = [];
  let code = '';
  let decodedBytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const error = await extractDocument(pdf).then(
      () => null,
      (e: unknown) => e as { code?: string; details?: { decodedBytes?: number } },
    );
    times.push(performance.now() - t0);
    code = error?.code ?? 'read';
    decodedBytes = error?.details?.decodedBytes ?? 0;
  }
  return { fileBytes: pdf.length, ms: median(times), code, decodedBytes, runs: times.length };
}

async function main(): Promise<void> {
  if (spawnSync('pdftotext', ['-v']).error) {
    console.error(
      'pdftotext is missing: the extraction benchmark compares with it. Install poppler-utils ' +
        '(`sudo apt-get install poppler-utils`, `brew install poppler`, or `bash scripts/setup-machine.sh --bench`).',
    );
    process.exit(1);
  }
  const cases: Case[] = [
    ...readdirSync(corpusDir)
      .filter((name) => name.endsWith('.pdf'))
      .sort()
      .map((name) => ({
        name: `corpus: ${name}`,
        pdf: new Uint8Array(readFileSync(path.join(corpusDir, name))),
        truth: null,
      })),
    ...(await generatedResumes()).map((g) => ({ name: g.name, pdf: g.pdf, truth: g.truth })),
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'vetline-bench-extraction-'));
  const loadBefore = loadavg()[0] ?? 0;
  try {
    const rows: Row[] = [];
    for (const item of cases) rows.push(await measure(item, dir));
    const bomb = await refusingABomb();
    const version = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? '';
    const out = [
      '# Extraction benchmark',
      '',
      `Node ${process.versions.node}, ${version.trim()}; median of ${runs} runs after ${warmup} warm-up runs; ` +
        `1-minute load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after.`,
      '',
      table(rows),
      '',
      `A PDF of ${Math.round(bomb.fileBytes / 1024)} KB whose content stream inflates to 1 GiB is refused ` +
        `(${bomb.code}, ${Math.round(bomb.decodedBytes / 2 ** 20)} MiB decoded) in ${bomb.ms.toFixed(0)} ms ` +
        `(median of ${bomb.runs}).`,
      '',
    ].join('\n');
    writeFileSync(path.join(root, 'bench/results-extraction.md'), out);
    console.log(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
