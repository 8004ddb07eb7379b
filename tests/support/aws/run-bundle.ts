import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const invoker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'invoke-bundle.mjs');

/** The environment SST gives a linked function: each link as `SST_RESOURCE_<Name>` (JSON), plus its own settings. */
export function sstEnvironment(resources: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(resources).map(([name, value]) => [`SST_RESOURCE_${name}`, JSON.stringify(value)]),
  );
}

/**
 * Invokes a built bundle in a fresh Node process (a cold start), once per event, and returns the handler's results
 * and how long the module took to load. Node's own environment is not inherited: only what Lambda would set.
 */
export async function invokeBundle(
  bundleFile: string,
  events: unknown[],
  env: Record<string, string>,
): Promise<{ initMs: number; results: unknown[]; logs: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vetline-invoke-'));
  try {
    const files: string[] = [];
    for (const [i, event] of events.entries()) {
      const file = path.join(dir, `event-${i}.json`);
      await writeFile(file, JSON.stringify(event));
      files.push(file);
    }
    const out = path.join(dir, 'out.json');
    const { stdout, stderr } = await run(process.execPath, [invoker, bundleFile, out, ...files], {
      env: {
        PATH: process.env.PATH ?? '',
        LAMBDA_TASK_ROOT: path.dirname(bundleFile),
        AWS_LAMBDA_FUNCTION_NAME: path.basename(bundleFile, '.mjs'),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      cwd: path.dirname(bundleFile),
      maxBuffer: 32 * 1024 * 1024,
      timeout: 120_000,
    });
    const parsed = JSON.parse(await readFile(out, 'utf8')) as { initMs: number; results: unknown[] };
    return { ...parsed, logs: `${stdout}${stderr}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
