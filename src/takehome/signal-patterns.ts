import type { FileRole } from './select-files';
import type { SignalCategory } from './static-signals';

/**
 * The line patterns behind the static signals, with the kinds of file each applies to. A pattern is matched against
 * one line at a time (comment lines excepted); `concern` marks what a reviewer should look at twice.
 */
export interface Pattern {
  id: string;
  category: SignalCategory;
  label: string;
  pattern: RegExp;
  roles: readonly FileRole[];
  concern?: boolean;
}

const CODE: readonly FileRole[] = ['source', 'test', 'migration'];
const SOURCE: readonly FileRole[] = ['source'];
const TESTS: readonly FileRole[] = ['test'];
const CONFIG: readonly FileRole[] = ['config'];

export const PATTERNS: readonly Pattern[] = [
  { id: 'async-def', category: 'async', label: 'async def', pattern: /^\s*async\s+def\s/, roles: CODE },
  { id: 'await', category: 'async', label: 'await', pattern: /\bawait\s/, roles: CODE },
  {
    id: 'gather',
    category: 'async',
    label: 'asyncio.gather / TaskGroup / create_task',
    pattern: /\basyncio\.(?:gather|TaskGroup|create_task|as_completed|wait)\(|\bcreate_task_group\(/,
    roles: CODE,
  },
  {
    id: 'bounded-concurrency',
    category: 'async',
    label: 'semaphores and queues',
    pattern: /\basyncio\.(?:Semaphore|BoundedSemaphore|Queue|PriorityQueue)\(/,
    roles: CODE,
  },
  {
    id: 'async-context',
    category: 'async',
    label: 'async with / async for',
    pattern: /^\s*async\s+(?:with|for)\b/,
    roles: CODE,
  },
  {
    id: 'async-clients',
    category: 'async',
    label: 'async I/O clients',
    pattern:
      /\b(?:httpx\.AsyncClient|aiohttp\.ClientSession|asyncpg\.|aioredis|aiokafka|AsyncSession|motor\.)/,
    roles: CODE,
  },
  {
    id: 'timeouts',
    category: 'async',
    label: 'timeouts',
    pattern: /\basyncio\.(?:wait_for|timeout)\(|\btimeout\s*=/,
    roles: CODE,
  },
  {
    id: 'future-annotations',
    category: 'typing',
    label: 'from __future__ import annotations',
    pattern: /^from __future__ import annotations/,
    roles: CODE,
  },
  {
    id: 'typed-structures',
    category: 'typing',
    label: 'dataclasses, Protocols, TypedDicts, generics, pydantic models',
    pattern: /@dataclass\b|\b(?:Protocol|TypedDict|TypeVar|Generic|NamedTuple|BaseModel|Literal|TypeAlias)\b/,
    roles: CODE,
  },
  {
    id: 'type-ignore',
    category: 'typing',
    label: '# type: ignore',
    pattern: /#\s*type:\s*ignore/,
    roles: CODE,
    concern: true,
  },
  {
    id: 'fixtures',
    category: 'testing',
    label: 'pytest fixtures',
    pattern: /@pytest\.fixture\b/,
    roles: TESTS,
  },
  {
    id: 'parametrize',
    category: 'testing',
    label: 'parametrised tests',
    pattern: /@pytest\.mark\.parametrize\b|@given\(/,
    roles: TESTS,
  },
  {
    id: 'async-tests',
    category: 'testing',
    label: 'async tests',
    pattern: /@pytest\.mark\.(?:asyncio|anyio)\b|IsolatedAsyncioTestCase/,
    roles: TESTS,
  },
  {
    id: 'test-doubles',
    category: 'testing',
    label: 'mocks and fakes',
    pattern:
      /\b(?:monkeypatch|mock\.patch|MagicMock|AsyncMock|MockTransport|respx|responses\.activate|freezegun|factory_boy|Factory\))/,
    roles: TESTS,
  },
  {
    id: 'query-count-tests',
    category: 'testing',
    label: 'query-count assertions',
    pattern:
      /\b(?:assertNumQueries|django_assert_num_queries|django_assert_max_num_queries|CaptureQueriesContext)\b/,
    roles: TESTS,
  },
  {
    id: 'select-related',
    category: 'django_orm',
    label: 'select_related',
    pattern: /\.select_related\(/,
    roles: CODE,
  },
  {
    id: 'prefetch-related',
    category: 'django_orm',
    label: 'prefetch_related / Prefetch',
    pattern: /\.prefetch_related\(|\bPrefetch\(/,
    roles: CODE,
  },
  {
    id: 'query-shaping',
    category: 'django_orm',
    label: 'only / defer / values / annotate / aggregate / F / Q',
    pattern: /\.(?:only|defer|values|values_list|annotate|aggregate|iterator)\(|\b[FQ]\(/,
    roles: CODE,
  },
  {
    id: 'bulk-writes',
    category: 'django_orm',
    label: 'bulk and idempotent writes',
    pattern: /\.(?:bulk_create|bulk_update|update_or_create|get_or_create)\(/,
    roles: CODE,
  },
  {
    id: 'transactions',
    category: 'django_orm',
    label: 'transactions and row locks',
    pattern: /\btransaction\.atomic\b|\.select_for_update\(/,
    roles: CODE,
  },
  {
    id: 'indexes',
    category: 'django_orm',
    label: 'indexes',
    pattern: /\bdb_index\s*=\s*True|\bmodels\.Index\(|\bindexes\s*=|AddIndex\(|GinIndex|BrinIndex/,
    roles: CODE,
  },
  {
    id: 'constraints',
    category: 'django_orm',
    label: 'constraints',
    pattern: /\b(?:UniqueConstraint|CheckConstraint|unique_together)\b|unique\s*=\s*True/,
    roles: CODE,
  },
  {
    id: 'raw-sql',
    category: 'django_orm',
    label: 'raw SQL',
    pattern: /\.raw\(|cursor\.execute\(|\bRunSQL\(/,
    roles: CODE,
  },
  {
    id: 'sql-formatting',
    category: 'django_orm',
    label: 'SQL built by string formatting',
    pattern: /(?:execute|raw)\(\s*f["']|(?:execute|raw)\([^)]*["']\s*(?:%|\.format\()/,
    roles: CODE,
    concern: true,
  },
  {
    id: 'loggers',
    category: 'logging',
    label: 'module loggers',
    pattern: /\blogging\.getLogger\(|\bstructlog\.get_logger\(/,
    roles: CODE,
  },
  {
    id: 'log-calls',
    category: 'logging',
    label: 'log calls',
    pattern: /\b(?:logger|log|logging)\.(?:debug|info|warning|error|exception|critical)\(/,
    roles: CODE,
  },
  {
    id: 'structured-logs',
    category: 'logging',
    label: 'structured context (extra=, exc_info=, structlog)',
    pattern: /\bextra\s*=\s*\{|\bexc_info\s*=|\bstructlog\b|logger\.exception\(/,
    roles: CODE,
  },
  {
    id: 'print',
    category: 'logging',
    label: 'print() in application code',
    pattern: /^\s*print\(/,
    roles: SOURCE,
    concern: true,
  },
  {
    id: 'custom-exceptions',
    category: 'errors',
    label: 'exception classes of its own',
    pattern: /^\s*class\s+\w+\((?:[\w.]*(?:Error|Exception))\)\s*:/,
    roles: CODE,
  },
  {
    id: 'raise-from',
    category: 'errors',
    label: 'raise ... from (cause kept)',
    pattern: /\braise\s+\S.*\bfrom\s+\w+/,
    roles: CODE,
  },
  {
    id: 'specific-except',
    category: 'errors',
    label: 'specific except clauses',
    pattern: /^\s*except\s+\(?[\w.]+(?:Error|Exception|Timeout\w*|Unavailable)\b/,
    roles: CODE,
  },
  {
    id: 'retries',
    category: 'errors',
    label: 'retries and backoff',
    pattern: /\b(?:tenacity|backoff|retry)\b|for\s+attempt\s+in\s+range|raise_for_status\(\)/,
    roles: CODE,
  },
  {
    id: 'bare-except',
    category: 'errors',
    label: 'bare except clauses',
    pattern: /^\s*except\s*:/,
    roles: CODE,
    concern: true,
  },
  {
    id: 'broad-except',
    category: 'errors',
    label: 'except Exception',
    pattern: /^\s*except\s+(?:Exception|BaseException)\s*(?:as\s+\w+\s*)?:/,
    roles: SOURCE,
    concern: true,
  },
  {
    id: 'pyproject',
    category: 'packaging',
    label: 'pyproject.toml sections',
    pattern: /^\[(?:project|build-system|tool\.poetry|tool\.setuptools|tool\.hatch)\]/,
    roles: CONFIG,
  },
  {
    id: 'pinned',
    category: 'packaging',
    label: 'pinned dependencies',
    pattern: /^[\w.[\]-]+\s*==\s*[\w.]+|"[\w.[\]-]+==[\w.]+"/,
    roles: CONFIG,
  },
  {
    id: 'tooling',
    category: 'packaging',
    label: 'linters, formatters, type checkers configured',
    pattern:
      /^\[tool\.(?:mypy|ruff|black|isort|pyright|pytest|coverage)[\].]|^\[(?:mypy|flake8|isort|tool:pytest)\]|^repos:/,
    roles: CONFIG,
  },
  {
    id: 'container',
    category: 'packaging',
    label: 'container and CI',
    pattern: /^FROM\s+\S+|^\s*runs-on:|^services:/,
    roles: CONFIG,
  },
];
