/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn, each in its own process (each starts its own DynamoDB
 * Local, and timings should not share a heap). `npm run bench -- webhooks` runs only the files whose name contains
 * "webhooks". A new benchmark is a new file; nothing else needs to change.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}.`);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  // The AWS SDK's notice that its 2027 releases need Node 22 would interleave with the tables: Lambda runs 22.
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
    stdio: 'inherit',
    env,
  });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
