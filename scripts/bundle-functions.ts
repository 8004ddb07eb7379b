/**
 * Bundles each Lambda entry in `functions/` the way SST does when it deploys (its Go builder calls esbuild with
 * these options: ESM, `.mjs`, platform node, target esnext, module-then-main fields, keep names, minified, no
 * source map, the createRequire/__dirname banner, `sharp` and `pg-native` external, our `nodejs.plugins`, which
 * also embed `prompts/`), and installs `nodejs.install` beside it. Used by `bench/bundles.bench.ts` and by the bundle
 * tests, so both run what would ship.
 *
 *   npx tsx scripts/bundle-functions.ts [outdir]
 */
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { bundling } from '../infra/bundling';
import plugins from '../infra/esbuild-plugins.mjs';

export const functionNames = ['api', 'worker', 'ageing'] as const;
export type FunctionName = (typeof functionNames)[number];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const banner = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  'const require = topLevelCreateRequire(import.meta.url);',
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  'const __filename = topLevelFileUrlToPath(import.meta.url)',
  'const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))',
].join('\n');

export interface BundleResult {
  name: FunctionName;
  /** The function's root: what would be zipped and uploaded. */
  dir: string;
  /** `<dir>/<name>.mjs`; the Lambda handler is `<name>.handler`. */
  file: string;
  bytes: number;
  metafile: Metafile;
  /** Packages installed beside the bundle (`nodejs.install` and what they depend on). */
  installedPackages: string[];
}

export interface BundleEntryOptions {
  /** Kept out of the bundle besides `sharp` and `pg-native` (SST's defaults). */
  external?: readonly string[];
  /** The stack's `nodejs.plugins` unless given (tests pass the prompt plugin with a fixture folder). */
  plugins?: Plugin[];
}

/** Bundles one entry file with SST's options into `outfile`; what `bundleFunction` does for each function. */
export async function bundleEntry(
  entry: string,
  outfile: string,
  options: BundleEntryOptions = {},
): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    platform: 'node',
    format: 'esm',
    target: 'esnext',
    mainFields: ['module', 'main'],
    bundle: true,
    keepNames: true,
    minify: true,
    sourcemap: false,
    metafile: true,
    external: ['sharp', 'pg-native', ...(options.external ?? [])],
    banner: { js: banner },
    plugins: options.plugins ?? plugins,
    outfile,
    logLevel: 'silent',
  });
  const output = result.metafile.outputs[path.relative(root, outfile)];
  return { bytes: output?.bytes ?? 0, metafile: result.metafile };
}

export async function bundleFunction(name: FunctionName, outRoot: string): Promise<BundleResult> {
  const dir = path.join(outRoot, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.mjs`);
  const { bytes, metafile } = await bundleEntry(path.join(root, 'functions', `${name}.ts`), file, {
    external: bundling.install[name],
  });
  const installedPackages = await installBeside(dir, bundling.install[name]);
  return { name, dir, file, bytes, metafile, installedPackages };
}

/**
 * What `nodejs.install` does at deploy (an `npm install` for the function's platform in its folder), done from this
 * checkout's node_modules so it works offline: each package with its dependencies and the optional ones present
 * here (for pdf.js, `@napi-rs/canvas` and its binary for this machine's platform).
 */
async function installBeside(dir: string, packages: readonly string[]): Promise<string[]> {
  const copied = new Set<string>();
  const visit = async (pkg: string, optional: boolean): Promise<void> => {
    if (copied.has(pkg)) return;
    const from = path.join(root, 'node_modules', pkg);
    if (!existsSync(from)) {
      if (optional) return;
      throw new Error(`cannot install ${pkg} beside the bundle: not in node_modules`);
    }
    copied.add(pkg);
    await cp(from, path.join(dir, 'node_modules', pkg), { recursive: true, dereference: true });
    const manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(manifest.dependencies ?? {})) await visit(dep, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) await visit(dep, true);
  };
  for (const pkg of packages) await visit(pkg, false);
  return [...copied];
}

/** The largest inputs of a bundle, grouped by package: what to look at when a budget is exceeded. */
export function topPackages(metafile: Metafile, limit = 8): Array<{ pkg: string; bytes: number }> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const pkg = match?.[1] ?? '(vetline)';
      sizes.set(pkg, (sizes.get(pkg) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes.entries()]
    .map(([pkg, bytes]) => ({ pkg, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? '.sst/bundles');
  for (const name of functionNames) {
    const bundle = await bundleFunction(name, out);
    process.stdout.write(`${name}: ${(bundle.bytes / 1024).toFixed(0)} KiB -> ${bundle.file}\n`);
    for (const { pkg, bytes } of topPackages(bundle.metafile))
      process.stdout.write(`    ${pkg.padEnd(40)} ${(bytes / 1024).toFixed(0)} KiB\n`);
  }
}
