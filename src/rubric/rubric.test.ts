import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { sha256Hex } from '../core/hash';
import { loadRubric, parseRubric, promptsDir, RubricError } from './rubric';

const DEFAULT_ID = 'senior-python-backend';
const defaultFile = path.join(promptsDir(), 'rubrics', `${DEFAULT_ID}.yaml`);
const defaultSource = await readFile(defaultFile, 'utf8');

const COMPETENCY_IDS = [
  'async-concurrency',
  'web-apis',
  'database-optimization',
  'data-pipelines',
  'data-integrity-schema-evolution',
  'resilience-observability',
  'ai-integration',
  'system-design-architecture',
  'code-quality',
];

type RawRubric = {
  version?: string;
  competencies: Array<Record<string, unknown> & { levels: unknown[]; signals: Array<{ pattern: string }> }>;
};

/** The default rubric as plain data, to be broken one way at a time. */
const rawDefault = (): RawRubric => parseYaml(defaultSource) as RawRubric;

const rejection = (raw: unknown): string => {
  try {
    parseRubric(stringifyYaml(raw), 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RubricError);
    return (error as Error).message;
  }
  throw new Error('the rubric was accepted');
};

describe('the default rubric', () => {
  it('loads with exactly the nine competencies, in order', async () => {
    const rubric = await loadRubric(DEFAULT_ID);
    expect(rubric.id).toBe(DEFAULT_ID);
    expect(rubric.version).toBe('1.0.0');
    expect(rubric.kind).toBe('resume');
    expect(rubric.competencies.map((c) => c.id)).toEqual(COMPETENCY_IDS);
    expect(rubric.hash).toBe(sha256Hex(defaultSource));
  });

  it('anchors five levels, 6-15 signals and 2-5 red flags per competency, with senior-level signals', async () => {
    const rubric = await loadRubric(DEFAULT_ID);
    for (const c of rubric.competencies) {
      expect(
        c.levels.map((l) => l.label),
        c.id,
      ).toEqual(['none', 'exposure', 'working', 'senior', 'expert']);
      expect(c.signals.length, c.id).toBeGreaterThanOrEqual(6);
      expect(c.signals.length, c.id).toBeLessThanOrEqual(15);
      expect(c.redFlags.length, c.id).toBeGreaterThanOrEqual(2);
      expect(c.redFlags.length, c.id).toBeLessThanOrEqual(5);
      expect(Math.max(...c.signals.map((s) => s.suggests)), c.id).toBeGreaterThanOrEqual(3);
      expect(new Set(c.signals.map((s) => s.id)).size, c.id).toBe(c.signals.length);
    }
  });

  it('has signal and red-flag patterns that all compile with the flags the drafter uses', async () => {
    const rubric = await loadRubric(DEFAULT_ID);
    const patterns = rubric.competencies.flatMap((c) => [
      ...c.signals.map((s) => s.pattern),
      ...c.redFlags.flatMap((f) => (f.pattern === null ? [] : [f.pattern])),
    ]);
    expect(patterns.length).toBeGreaterThan(100);
    for (const pattern of patterns) expect(() => new RegExp(pattern, 'giu'), pattern).not.toThrow();
  });
});

describe('signal precision', () => {
  const rubric = parseRubric(defaultSource, defaultFile);
  const signal = (competencyId: string, signalId: string): RegExp => {
    const found = rubric.competencies
      .find((c) => c.id === competencyId)
      ?.signals.find((s) => s.id === signalId);
    if (!found) throw new Error(`no signal ${competencyId}/${signalId}`);
    return new RegExp(found.pattern, 'iu');
  };

  const cases: Array<[string, string, string[], string[]]> = [
    [
      'async-concurrency',
      'asyncio',
      ['Rewrote the crawler on asyncio'],
      ['Wrote asynchronous letters to clients'],
    ],
    [
      'async-concurrency',
      'designed-async',
      ['Designed and owned an asyncio gateway'],
      ['Designed the new office seating plan, then took a course on async programming'],
    ],
    ['web-apis', 'django', ['Built REST APIs in Django'], ['Watched Django Unchained twice']],
    ['web-apis', 'flask', ['Flask REST API for payments'], ['Heated the Erlenmeyer flask']],
    [
      'data-pipelines',
      'kafka',
      ['Kafka consumers with exactly-once delivery'],
      ['Read Franz Kafka on the train', "Wrote an essay on Kafka's Metamorphosis"],
    ],
    [
      'data-pipelines',
      'task-queues',
      ['Celery workers on Redis', 'Kafka and Celery pipelines'],
      ['Served celery sticks with blue cheese', 'Read Kafka, then chopped celery for the soup'],
    ],
    [
      'data-pipelines',
      'orchestrators',
      ['Airflow DAGs for nightly ETL'],
      ['Improved kitchen airflow', 'Head prefect'],
    ],
    [
      'database-optimization',
      'query-plans',
      ['Read EXPLAIN ANALYZE output'],
      ['Able to explain complex ideas'],
    ],
    ['database-optimization', 'n-plus-one', ['Removed N+1 queries'], ['Grew the team from N to N+10 people']],
    ['ai-integration', 'rag', ['Built a RAG pipeline on pgvector'], ['Wiped the counter with a rag']],
    ['ai-integration', 'llm-apis', ['Integrated the OpenAI API'], ['Painted like Claude Monet']],
    ['code-quality', 'linting', ['black, ruff and mypy in pre-commit'], ['Black belt in judo']],
    [
      'async-concurrency',
      'gil',
      ['Moved CPU-bound work off the GIL'],
      ['References: Gil Navarro, head chef'],
    ],
    [
      'web-apis',
      'api-throughput',
      ['Served 12k requests/s at peak'],
      ['Handled 80 calls a day at the help desk'],
    ],
    [
      'database-optimization',
      'query-speedup',
      ['Query latency fell from 900 ms to 40 ms'],
      ['Reduced customer queries by 30%'],
    ],
    [
      'data-pipelines',
      'event-throughput',
      ['Ingested 2 billion events per day'],
      ['Completed 40 tasks per day'],
    ],
    [
      'data-pipelines',
      'change-data-capture',
      ['Debezium CDC pipelines into Kafka'],
      ['Followed CDC guidance'],
    ],
    [
      'ai-integration',
      'fine-tuning',
      ['Fine-tuned Llama 3 models with LoRA'],
      ['Fine-tuned the tasting menu'],
    ],
    [
      'system-design-architecture',
      'cloud-infrastructure',
      ['Deployed on AWS with Terraform'],
      ['Took the helm'],
    ],
  ];

  it.each(cases)('%s/%s fires on its subject and not on look-alikes', (competencyId, signalId, yes, no) => {
    const re = signal(competencyId, signalId);
    for (const text of yes) expect(re.test(text), text).toBe(true);
    for (const text of no) expect(re.test(text), text).toBe(false);
  });
});

describe('rejecting a broken rubric', () => {
  it('names the path of a bad regular expression', () => {
    const raw = rawDefault();
    const first = raw.competencies[0];
    if (!first?.signals[0]) throw new Error('fixture');
    first.signals[0].pattern = '(unclosed';
    expect(rejection(raw)).toMatch(
      /competencies\.0\.signals\.0\.pattern: must be a valid regular expression/,
    );
  });

  it('names the path of levels out of order', () => {
    const raw = rawDefault();
    const third = raw.competencies[2];
    if (!third) throw new Error('fixture');
    third.levels = [...third.levels].reverse();
    expect(rejection(raw)).toMatch(/competencies\.2\.levels: levels must be 0, 1, 2, 3, 4 in order/);
  });

  it('refuses duplicate competency ids', () => {
    const raw = rawDefault();
    raw.competencies.push(structuredClone(raw.competencies[0] as RawRubric['competencies'][number]));
    expect(rejection(raw)).toMatch(/competencies: competency ids must be unique/);
  });

  it('names the path of a missing field', () => {
    const raw = rawDefault();
    delete raw.competencies[4]?.description;
    delete raw.version;
    const message = rejection(raw);
    expect(message).toMatch(/competencies\.4\.description/);
    expect(message).toMatch(/(^|; |: )version:/);
  });

  it('refuses text that is not YAML', () => {
    expect(() => parseRubric('id: [unclosed', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
  });
});

describe('hash and loading', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('changes the hash when the content changes, and only then', () => {
    const a = parseRubric(defaultSource, 'a');
    const b = parseRubric(defaultSource, 'b');
    const edited = parseRubric(
      defaultSource.replace('No mention of asynchronous', 'No sign of asynchronous'),
      'c',
    );
    expect(a.hash).toBe(b.hash);
    expect(edited.hash).not.toBe(a.hash);
    expect(edited.version).toBe(a.version);
  });

  it('refuses ids that could leave the rubrics folder', async () => {
    await expect(loadRubric('../etc')).rejects.toThrow(RubricError);
    await expect(loadRubric('../etc')).rejects.toThrow(/invalid rubric id/);
    await expect(loadRubric('rubrics/../../x')).rejects.toThrow(/invalid rubric id/);
  });

  it('refuses a file whose id does not match its name', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vetline-rubric-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'rubrics'));
    await writeFile(path.join(dir, 'rubrics', 'other.yaml'), defaultSource);
    await expect(loadRubric('other', dir)).rejects.toThrow(
      /id senior-python-backend does not match the file name/,
    );
  });
});
