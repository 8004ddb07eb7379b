// esbuild plugins for the Lambda bundles, given to SST as `nodejs.plugins` and used by scripts/bundle-functions.ts,
// so the bench measures what ships. Plain ESM: SST loads this file with Node, outside TypeScript.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * zod's classic API (and its core) re-export its 40-odd locales as `z.locales`. @hono/zod-openapi passes the whole `z` namespace to
 * `extendZodWithOpenApi`, so the bundler cannot drop any of them: 270 KiB of translated error messages in every
 * function. Vetline never calls `z.config(z.locales.xx())` and zod's default is English, so `locales` is resolved to
 * a module that exports English only (`zod-locales-en.mjs`); zod itself is untouched.
 *
 * The filter is `.*` and the test is in the callback because SST's plugin host matches filters against the request
 * rather than the import path (a specific filter would never fire there).
 */
export const zodEnglishOnly = {
  name: 'vetline-zod-english-only',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const fromZod = /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer ?? '');
      if (!fromZod || args.path !== '../locales/index.js') return undefined;
      return { path: require.resolve('./zod-locales-en.mjs') };
    });
  },
};

/**
 * Two more parts of zod that ride along only because the whole `z` namespace is reachable (see above): its compiler
 * (`z.compile`, `z.withParser`; 31 KiB) and `z.fromJSONSchema` (12 KiB). Vetline never calls either (a test checks
 * its code for them) and never imports `zod/compile`, which is what switches the compiler on; so in the bundles they
 * resolve to modules whose functions throw, named as such (`zod-compile-absent.mjs`,
 * `zod-from-json-schema-absent.mjs`). zod's own parser, `toJSONSchema` (the OpenAPI document) and the rest stay.
 */
export const zodWithoutUnusedTools = {
  name: 'vetline-zod-without-unused-tools',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      const importer = args.importer ?? '';
      if (
        args.path === './compile.js' &&
        /[\\/]node_modules[\\/]zod[\\/]v4[\\/]core[\\/]index\.js$/.test(importer)
      )
        return { path: require.resolve('./zod-compile-absent.mjs') };
      if (
        args.path === './from-json-schema.js' &&
        /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]external\.js$/.test(importer)
      )
        return { path: require.resolve('./zod-from-json-schema-absent.mjs') };
      return undefined;
    });
  },
};

/**
 * The AWS SDK clients build their default credential chain at import: environment, SSO, INI files, web identity,
 * process, container and instance metadata, with the nested SSO/STS clients they need (about 85 KiB minified, and
 * their module init on every cold start). On Lambda the credentials are always the function role's, in the
 * environment, which is the chain's first step; so the chain is resolved to that step alone
 * (`lambda-credentials.mjs`). Only the Lambda bundles get this: locally and in tests the full chain stays.
 */
export const lambdaCredentials = {
  name: 'vetline-lambda-credentials',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.path !== '@aws-sdk/credential-provider-node') return undefined;
      return { path: require.resolve('./lambda-credentials.mjs') };
    });
  },
};

/**
 * Every prompt file as the bundles embed it: each `<promptsDir>/<folder>/<name>.yaml` (today `rubrics/` and
 * `templates/`; a new file or folder needs no change here), parsed with the same `yaml` package and options as
 * `src/prompting/prompt-source.ts`, keyed `<folder>/<name>.yaml`, with the sha256 of the file's bytes (what
 * provenance records, so it must not depend on where the file was read). A file that does not parse, or holds a
 * value JSON cannot carry (a date, `.inf`), fails the build with its path rather than changing on the way.
 */
export function readPromptFiles(promptsDir) {
  const files = {};
  const folders = readdirSync(promptsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const folder of folders.map((entry) => entry.name).sort()) {
    const names = readdirSync(path.join(promptsDir, folder)).filter((name) => name.endsWith('.yaml'));
    for (const name of names.sort()) {
      const file = path.join(promptsDir, folder, name);
      const bytes = readFileSync(file);
      let data;
      try {
        data = parseYaml(bytes.toString('utf8'));
      } catch (cause) {
        throw new Error(`${file}: not valid YAML: ${cause.message}`, { cause });
      }
      const json = JSON.stringify(data);
      if (json === undefined || !isDeepStrictEqual(JSON.parse(json), data))
        throw new Error(
          `${file}: holds a value JSON cannot carry (a date, .inf, .nan, -0), so it cannot be embedded`,
        );
      files[`${folder}/${name}`] = { data, hash: createHash('sha256').update(bytes).digest('hex') };
    }
  }
  return files;
}

/**
 * Rubrics and prompt templates are YAML, and the `yaml` package was 117 KiB of every bundle that loads them, with
 * the parse of the 44 KB rubric most of the API's cold module load. So `src/prompting/prompt-source.ts` (the one
 * module that reads and parses prompt files) is loaded in the bundles as a module that hands every prompt file,
 * parsed here at build time, to `embedded-prompt-source.ts`. The loaders still validate the data with zod at load,
 * and the hashes are those of the files' bytes, as locally. `prompts/` then need not be copied beside the handler.
 *
 * onLoad with a `.*` filter and the test in the callback, for the same reason as above (SST's plugin host).
 */
export function embeddedPrompts({ promptsDir = path.join(repoRoot, 'prompts') } = {}) {
  const source = realpathSync(path.join(repoRoot, 'src', 'prompting', 'prompt-source.ts'));
  return {
    name: 'vetline-embedded-prompts',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        if (args.path !== source) return undefined;
        const files = readPromptFiles(promptsDir);
        const contents = [
          `import { embeddedPromptSource } from './embedded-prompt-source';`,
          // JSON.parse, not an object literal: it reads exactly as JSON (a `__proto__` key stays a key), and fast.
          `const source = embeddedPromptSource(JSON.parse(${JSON.stringify(JSON.stringify(files))}));`,
          'export const { promptsDir, parsePromptYaml, readPromptSource } = source;',
        ].join('\n');
        const folders = readdirSync(promptsDir, { withFileTypes: true }).filter((entry) =>
          entry.isDirectory(),
        );
        return {
          contents,
          loader: 'js',
          resolveDir: path.dirname(source),
          watchFiles: Object.keys(files).map((key) => path.join(promptsDir, key)),
          watchDirs: [promptsDir, ...folders.map((entry) => path.join(promptsDir, entry.name))],
        };
      });
    },
  };
}

/**
 * `src/rubric/current-rubric.ts` (which rubric version this deployment drafts with: the review API says when a draft
 * was made with another; and the catalogue admins and recruiters choose from) is loaded in the bundles as a module
 * holding only each rubric's id, version, file hash, title and kind,
 * read here from `prompts/rubrics/*.yaml` with `readPromptFiles`. So the API bundle knows the current versions
 * without the prompts, `yaml` or the prompt loaders. The replacement exports what the source module exports.
 */
export function currentRubrics({ promptsDir = path.join(repoRoot, 'prompts') } = {}) {
  const source = realpathSync(path.join(repoRoot, 'src', 'rubric', 'current-rubric.ts'));
  return {
    name: 'vetline-current-rubrics',
    setup(build) {
      build.onLoad({ filter: /.*/ }, (args) => {
        if (args.path !== source) return undefined;
        const files = readPromptFiles(promptsDir);
        const rubrics = {};
        for (const [key, { data, hash }] of Object.entries(files)) {
          const match = /^rubrics\/([a-z0-9-]+)\.yaml$/.exec(key);
          if (!match) continue;
          if (
            typeof data?.version !== 'string' ||
            data.id !== match[1] ||
            typeof data.title !== 'string' ||
            !['resume', 'take-home'].includes(data.kind)
          )
            throw new Error(
              `${path.join(promptsDir, key)}: a rubric needs its file name as id, a version, a title and a kind`,
            );
          rubrics[match[1]] = {
            id: data.id,
            version: data.version,
            hash,
            title: data.title,
            kind: data.kind,
          };
        }
        const contents = [
          `const rubrics = JSON.parse(${JSON.stringify(JSON.stringify(rubrics))});`,
          'export async function currentRubric(id) {',
          '  return Object.hasOwn(rubrics, id) ? rubrics[id] : null;',
          '}',
          'export async function listRubrics(kind) {',
          '  return Object.keys(rubrics)',
          '    .sort()',
          '    .map((id) => rubrics[id])',
          '    .filter((r) => kind === undefined || r.kind === kind);',
          '}',
        ].join('\n');
        return {
          contents,
          loader: 'js',
          resolveDir: path.dirname(source),
          watchFiles: Object.keys(files).map((key) => path.join(promptsDir, key)),
          watchDirs: [path.join(promptsDir, 'rubrics')],
        };
      });
    },
  };
}

export default [
  zodEnglishOnly,
  zodWithoutUnusedTools,
  lambdaCredentials,
  embeddedPrompts(),
  currentRubrics(),
];
