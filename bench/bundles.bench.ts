/**
 * `npm run bench` (second part) — the Lambda functions as they ship.
 *
 * Bundles each function as SST does (`scripts/bundle-functions.ts`), then reports its minified size, its size
 * deflated (what a zip of it costs), what is installed beside it (`nodejs.install`), and its module-load time: a fresh
 * Node process imports the bundle with the environment SST gives a linked function, which is the part of a cold start
 * that the code controls (settings, clients, the rubric and template embedded at build time). No network is touched at
 * load.
 * Budget: the API function under 1 MB (1,000,000 bytes) minified.
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { type BundleResult, bundleFunction, functionNames, topPackages } from '../scripts/bundle-functions';
import { invokeBundle, sstEnvironment } from '../tests/support/aws/run-bundle';
import { percentile } from './stats';

const runs = Number(process.env.BENCH_LOAD_RUNS ?? 15);
const API_BUDGET_BYTES = 1_000_000;

const links = {
  App: { name: 'vetline', stage: 'bench' },
  Table: { name: 'vetline-bench-Table' },
  Uploads: { name: 'vetline-bench-uploads' },
  Jobs: { url: 'https://sqs.us-east-1.amazonaws.com/123456789012/vetline-bench-Jobs' },
  OpenAiApiKey: { value: 'unset' },
};
const env = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  LOG_LEVEL: 'warn',
  ...sstEnvironment(links),
};

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

interface Row {
  name: string;
  bytes: number;
  deflated: number;
  installed: number;
  loadP50: number;
  loadMax: number;
  top: string;
}

async function measure(bundle: BundleResult): Promise<Row> {
  const code = await readFile(bundle.file);
  const installedDir = path.join(bundle.dir, 'node_modules');
  const installed = bundle.installedPackages.length > 0 ? await folderBytes(installedDir) : 0;
  const loads: number[] = [];
  for (let i = 0; i < runs; i++) loads.push((await invokeBundle(bundle.file, [], env)).initMs);
  loads.sort((a, b) => a - b);
  return {
    name: bundle.name,
    bytes: bundle.bytes,
    deflated: deflateRawSync(code, { level: 9 }).byteLength,
    installed,
    loadP50: percentile(loads, 50),
    loadMax: loads[loads.length - 1] ?? Number.NaN,
    top: topPackages(bundle.metafile, 4)
      .map((p) => `${p.pkg} ${kib(p.bytes)}`)
      .join(', '),
  };
}

async function main(): Promise<void> {
  const out = path.join(tmpdir(), `vetline-bench-bundles-${process.pid}`);
  const rows: Row[] = [];
  try {
    for (const name of functionNames) rows.push(await measure(await bundleFunction(name, out)));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  const table = [
    '| Function | minified | deflated | installed beside | module load p50 ms | max ms | largest packages |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.bytes.toLocaleString('en')} B (${kib(r.bytes)}) | ${kib(r.deflated)} | ${
          r.installed ? kib(r.installed) : '-'
        } | ${r.loadP50.toFixed(1)} | ${r.loadMax.toFixed(1)} | ${r.top} |`,
    ),
  ].join('\n');
  const api = rows.find((r) => r.name === 'api');
  const verdict =
    api && api.bytes < API_BUDGET_BYTES
      ? `API function within budget: ${api.bytes.toLocaleString('en')} < ${API_BUDGET_BYTES.toLocaleString('en')} bytes`
      : `API function OVER BUDGET: ${api?.bytes.toLocaleString('en')} >= ${API_BUDGET_BYTES.toLocaleString('en')} bytes`;
  process.stdout.write(
    `\nLambda bundles (${runs} cold module loads each, Node ${process.versions.node})\n\n${table}\n\n${verdict}\n`,
  );
  await writeFile(path.join(import.meta.dirname, 'results-bundles.md'), `${table}\n\n${verdict}\n`);
  if (api && api.bytes >= API_BUDGET_BYTES) process.exitCode = 1;
}

await main();
