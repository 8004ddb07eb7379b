import { describe, expect, it } from 'vitest';
import { PROJECT_FILES } from '../../tests/support/take-home-project';
import { fullyAnnotated, functionSignatures, importsOf } from './python-structure';
import { classifyPath, type SelectedFile } from './select-files';
import { analyse, type StaticReport } from './static-signals';

const asSelected = (files: Record<string, string>): SelectedFile[] =>
  Object.entries(files).flatMap(([path, content]) => {
    const verdict = classifyPath(path);
    if (!('role' in verdict) || content.trim() === '') return [];
    return [{ path, role: verdict.role, content, lines: content.split('\n').length, bytes: content.length }];
  });

/** 1-based line of the first line of a fixture file that contains `needle`. */
const lineOf = (path: string, needle: string) =>
  (PROJECT_FILES[path] ?? '').split('\n').findIndex((line) => line.includes(needle)) + 1;

const signal = (report: StaticReport, id: string) => report.signals.find((s) => s.id === id);

describe('analyse on the realistic project', () => {
  const report = analyse(asSelected(PROJECT_FILES), [
    { path: 'orders-service/poetry.lock', reason: 'generated', files: 1 },
  ]);

  it('counts Python files, typing coverage and the type checker', () => {
    expect(report.python).toEqual({
      files: 7,
      lines: expect.any(Number),
      sourceFiles: 4,
      testFiles: 2,
      migrationFiles: 1,
    });
    // views.get_queryset, ingest: fetch_partner, fetch_all, bounded, store: all annotated.
    expect(report.typing).toEqual({
      functions: 5,
      fullyAnnotated: 5,
      partlyAnnotated: 0,
      coverage: 1,
      checker: 'mypy',
    });
  });

  it('says what the tests exercise and what they leave out', () => {
    expect(report.tests.functions).toBe(3);
    expect(report.tests.frameworks).toEqual(['pytest']);
    expect(report.tests.exercised.sort()).toEqual([
      'orders-service/orders/ingest.py',
      'orders-service/orders/models.py',
    ]);
    expect(report.tests.untested.sort()).toEqual([
      'orders-service/orders/serializers.py',
      'orders-service/orders/views.py',
    ]);
  });

  it('finds async usage, ORM patterns, logging, error handling and packaging, with places', () => {
    // Three in ingest.py, one async test.
    expect(signal(report, 'async-def')?.count).toBe(4);
    expect(signal(report, 'bounded-concurrency')?.examples[0]).toEqual({
      path: 'orders-service/orders/ingest.py',
      line: lineOf('orders-service/orders/ingest.py', 'asyncio.Semaphore('),
      text: 'semaphore = asyncio.Semaphore(MAX_CONCURRENT_PARTNERS)',
    });
    expect(signal(report, 'select-related')?.examples[0]?.path).toBe('orders-service/orders/views.py');
    expect(signal(report, 'prefetch-related')?.count).toBe(1);
    expect(signal(report, 'indexes')?.count).toBeGreaterThanOrEqual(3);
    expect(signal(report, 'query-count-tests')?.examples[0]?.path).toBe('orders-service/tests/test_views.py');
    expect(signal(report, 'migrations')?.count).toBe(1);
    expect(signal(report, 'retries')?.count).toBeGreaterThanOrEqual(1);
    expect(signal(report, 'raise-from')?.count).toBe(1);
    expect(signal(report, 'custom-exceptions')?.count).toBe(1);
    expect(signal(report, 'structured-logs')?.count).toBeGreaterThanOrEqual(2);
    expect(signal(report, 'pinned')?.count).toBeGreaterThanOrEqual(4);
    expect(signal(report, 'lock-file')?.count).toBe(1);
    // A clean project raises no concern.
    expect(report.signals.filter((s) => s.concern)).toEqual([]);
  });
});

describe('concerns', () => {
  it('flags blocking calls in coroutines, bare excepts, print, and SQL built with f-strings', () => {
    const report = analyse(
      asSelected({
        'app/worker.py': [
          'import time, requests',
          'async def poll(url):',
          '    time.sleep(1)',
          '    return requests.get(url)',
          'def run(cursor, name):',
          '    try:',
          '        cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
          '    except:',
          '        print("failed")',
          'def later():',
          '    time.sleep(1)',
        ].join('\n'),
      }),
    );
    const concerns = Object.fromEntries(
      report.signals.filter((s) => s.concern).map((s) => [s.id, s.examples.map((e) => e.line)]),
    );
    expect(concerns).toEqual({
      'blocking-in-async': [3, 4],
      'sql-formatting': [7],
      print: [9],
      'bare-except': [8],
    });
    expect(report.typing).toMatchObject({ functions: 3, fullyAnnotated: 0, coverage: 0, checker: null });
  });
});

describe('python structure', () => {
  it('reads multi-line signatures with defaults, *args and nested brackets', () => {
    const [f] = functionSignatures([
      'async def handle(',
      '    self,',
      '    items: dict[str, list[int]] = {},',
      '    *args: int,',
      '    flag=False,',
      ') -> None:',
    ]);
    expect(f).toMatchObject({ name: 'handle', isAsync: true, returns: true, end: 5 });
    expect(f?.params).toEqual([
      { name: 'items', annotated: true },
      { name: 'args', annotated: true },
      { name: 'flag', annotated: false },
    ]);
    expect(f && fullyAnnotated(f)).toBe(false);
  });

  it('resolves relative imports and names imported modules', () => {
    expect(
      importsOf(
        ['from .models import Order', 'from . import views', 'import os.path as p'],
        'shop/orders/api.py',
      ).sort(),
    ).toEqual([
      'os.path',
      'shop.orders',
      'shop.orders.models',
      'shop.orders.models.Order',
      'shop.orders.views',
    ]);
  });
});
