import { z } from 'zod';
import {
  bodyOf,
  type FunctionSignature,
  fullyAnnotated,
  functionSignatures,
  importsOf,
  partlyAnnotated,
} from './python-structure';
import type { SelectedFile, SkippedEntry } from './select-files';
import { PATTERNS, type Pattern } from './signal-patterns';

/**
 * Static signals: what the code shows without running it. Counts and places (path and line) for async usage, typing,
 * tests and what they exercise, Django ORM patterns, logging and error handling, and packaging. They are shown to the
 * reviewer and summarised for the model; they are facts about the files, so they never need grounding.
 */

export const SignalCategory = z.enum([
  'async',
  'typing',
  'testing',
  'django_orm',
  'logging',
  'errors',
  'packaging',
]);
export type SignalCategory = z.infer<typeof SignalCategory>;

export const SignalHit = z.object({ path: z.string(), line: z.number().int().min(1), text: z.string() });
export type SignalHit = z.infer<typeof SignalHit>;

export const StaticSignal = z.object({
  id: z.string(),
  category: SignalCategory,
  label: z.string(),
  /** Something a reviewer should look at twice (a bare `except:`, a blocking call in a coroutine). */
  concern: z.boolean(),
  count: z.number().int().min(0),
  /** The first few places, in file order. */
  examples: z.array(SignalHit),
});
export type StaticSignal = z.infer<typeof StaticSignal>;

export const StaticReport = z.object({
  python: z.object({
    files: z.number().int(),
    lines: z.number().int(),
    sourceFiles: z.number().int(),
    testFiles: z.number().int(),
    migrationFiles: z.number().int(),
  }),
  typing: z.object({
    functions: z.number().int(),
    fullyAnnotated: z.number().int(),
    partlyAnnotated: z.number().int(),
    /** Share of source functions fully annotated; null without source functions. */
    coverage: z.number().min(0).max(1).nullable(),
    checker: z.enum(['mypy', 'pyright']).nullable(),
  }),
  tests: z.object({
    functions: z.number().int(),
    frameworks: z.array(z.string()),
    /** Project modules the tests import. */
    exercised: z.array(z.string()),
    /** Project modules no test imports. */
    untested: z.array(z.string()),
  }),
  signals: z.array(StaticSignal),
});
export type StaticReport = z.infer<typeof StaticReport>;

const MAX_EXAMPLES = 3;
export const MAX_LINE_CHARS = 2_000;
const BLOCKING_IN_ASYNC =
  /\btime\.sleep\(|\brequests\.(?:get|post|put|patch|delete|request)\(|\burllib\.request\.urlopen\(|\bsubprocess\.(?:run|call|check_output)\(/;
const NOT_A_MODULE_UNDER_TEST =
  /(?:^|\/)(?:__init__|settings|urls|apps|admin|asgi|wsgi|manage|conftest|setup)\.py$/;

export function analyse(files: readonly SelectedFile[], skipped: readonly SkippedEntry[] = []): StaticReport {
  const hits = new Map<string, SignalHit[]>();
  const add = (id: string, path: string, index: number, text: string) => {
    const list = hits.get(id) ?? [];
    list.push({ path, line: index + 1, text: text.trim().slice(0, 200) });
    hits.set(id, list);
  };
  const python = files.filter((f) => f.role !== 'config' && f.role !== 'docs' && /\.pyi?$/.test(f.path));
  let functions = 0;
  let full = 0;
  let partial = 0;
  let testFunctions = 0;
  const frameworks = new Set<string>();
  const imported = new Set<string>();

  for (const file of files) {
    const lines = file.content.split('\n');
    lines.forEach((line, i) => {
      // Minified or generated one-liners say nothing about the author and only cost regex time.
      if (line.length > MAX_LINE_CHARS) return;
      if (line.trimStart().startsWith('#') && !/type:\s*ignore|^#\s*Generated/.test(line.trim())) return;
      for (const p of PATTERNS)
        if (p.roles.includes(file.role) && p.pattern.test(line)) add(p.id, file.path, i, line);
    });
    if (!python.includes(file)) continue;
    const signatures = functionSignatures(lines);
    for (const f of signatures) {
      if (file.role === 'source') {
        functions++;
        if (fullyAnnotated(f)) full++;
        else if (partlyAnnotated(f)) partial++;
      }
      if (file.role === 'test' && /^test_?/.test(f.name)) testFunctions++;
      if (!f.isAsync) continue;
      for (const i of blockingCalls(lines, f)) add('blocking-in-async', file.path, i, lines[i] ?? '');
    }
    if (file.role === 'test') {
      if (/\bimport pytest\b|@pytest\./.test(file.content)) frameworks.add('pytest');
      if (/\bunittest\b|TestCase\)/.test(file.content)) frameworks.add('unittest');
      if (/\bhypothesis\b/.test(file.content)) frameworks.add('hypothesis');
      for (const name of importsOf(lines, file.path)) imported.add(name);
    }
  }

  const modules = python.filter((f) => f.role === 'source' && !NOT_A_MODULE_UNDER_TEST.test(f.path));
  const exercised = modules.filter((m) => [...imported].some((name) => importNames(m.path, name)));
  const config = files.filter((f) => f.role === 'config');
  const checker = config.some(
    (f) => /\[tool\.mypy\]|^\[mypy\]/m.test(f.content) || f.path.endsWith('mypy.ini'),
  )
    ? 'mypy'
    : config.some((f) => /\[tool\.pyright\]/.test(f.content) || f.path.endsWith('pyrightconfig.json'))
      ? 'pyright'
      : null;
  const migrations = files.filter((f) => f.role === 'migration' && !f.path.endsWith('__init__.py'));
  if (migrations.length > 0)
    hits.set(
      'migrations',
      migrations.map((f) => ({ path: f.path, line: 1, text: f.path })),
    );
  const locks = skipped.filter((s) => /(?:^|\/)(?:poetry|pdm|uv|Pipfile)\.lock$/.test(s.path));
  if (locks.length > 0)
    hits.set(
      'lock-file',
      locks.map((s) => ({ path: s.path, line: 1, text: s.path })),
    );

  return StaticReport.parse({
    python: {
      files: python.length,
      lines: python.reduce((n, f) => n + f.lines, 0),
      sourceFiles: python.filter((f) => f.role === 'source').length,
      testFiles: python.filter((f) => f.role === 'test').length,
      migrationFiles: migrations.length,
    },
    typing: {
      functions,
      fullyAnnotated: full,
      partlyAnnotated: partial,
      coverage: functions === 0 ? null : Math.round((full / functions) * 100) / 100,
      checker,
    },
    tests: {
      functions: testFunctions,
      frameworks: [...frameworks].sort(),
      exercised: exercised.map((m) => m.path),
      untested: modules.filter((m) => !exercised.includes(m)).map((m) => m.path),
    },
    signals: [...PATTERNS, ...COMPUTED].flatMap((p) => {
      const found = hits.get(p.id) ?? [];
      if (found.length === 0) return [];
      const { id, category, label } = p;
      return [
        {
          id,
          category,
          label,
          concern: p.concern ?? false,
          count: found.length,
          examples: found.slice(0, MAX_EXAMPLES),
        },
      ];
    }),
  });
}

/** Signals that are not a line pattern: worked out from structure or from the file list. */
const COMPUTED: ReadonlyArray<Omit<Pattern, 'pattern' | 'roles'>> = [
  {
    id: 'blocking-in-async',
    category: 'async',
    label: 'blocking calls inside async functions',
    concern: true,
  },
  { id: 'migrations', category: 'django_orm', label: 'migrations' },
  { id: 'lock-file', category: 'packaging', label: 'lock file' },
];

function blockingCalls(lines: readonly string[], f: FunctionSignature): number[] {
  const [start, end] = bodyOf(lines, f);
  const out: number[] = [];
  for (let i = start; i < end; i++) if (BLOCKING_IN_ASYNC.test(lines[i] ?? '')) out.push(i);
  return out;
}

/** Whether the dotted import `name` is the module at `path` (`orders.ingest` for `x/orders/ingest.py`). */
function importNames(path: string, name: string): boolean {
  const modulePath = name.replaceAll('.', '/');
  const bare = path.replace(/\.pyi?$/, '');
  return bare === modulePath || bare.endsWith(`/${modulePath}`);
}
