import { describe, expect, it } from 'vitest';
import { corpusResumes } from '../../tests/support/resumes';
import { draftOffline } from '../drafting/offline-drafter';
import { extractDocument } from '../extraction/extract';
import { loadRubric } from './rubric';

const rubric = await loadRubric('senior-python-data-engineer');
const backend = await loadRubric('senior-python-backend');

describe('the data-engineer rubric', () => {
  it('is a resume rubric of its own, with the competencies of the role', () => {
    expect(rubric.kind).toBe('resume');
    expect(rubric.title).toBe('Senior Python data engineer');
    expect(rubric.version).toBe('1.0.0');
    expect(rubric.competencies.map((c) => c.id)).toEqual([
      'pipeline-orchestration',
      'streaming-brokers',
      'warehousing-sql',
      'data-quality-schema',
      'python-data-at-scale',
      'pipeline-reliability',
      'ingestion-design',
      'data-code-quality',
    ]);
  });

  it('is written for the role, not copied from the backend rubric', () => {
    const anchors = (r: typeof rubric) =>
      new Set(r.competencies.flatMap((c) => c.levels.map((l) => l.anchor)));
    const patterns = (r: typeof rubric) =>
      new Set(r.competencies.flatMap((c) => c.signals.map((s) => s.pattern)));
    const shared = <T>(a: Set<T>, b: Set<T>) => [...a].filter((x) => b.has(x));
    expect(shared(anchors(rubric), anchors(backend))).toEqual([]);
    // A handful of generic patterns (SQL, code review, coverage figures) may be the same; the rest is the role's.
    expect(shared(patterns(rubric), patterns(backend)).length).toBeLessThanOrEqual(4);
  });

  const signal = (competencyId: string, signalId: string): RegExp => {
    const found = rubric.competencies
      .find((c) => c.id === competencyId)
      ?.signals.find((s) => s.id === signalId);
    if (!found) throw new Error(`no signal ${competencyId}/${signalId}`);
    return new RegExp(found.pattern, 'iu');
  };

  const cases: Array<[string, string, string[], string[]]> = [
    [
      'warehousing-sql',
      'warehouses',
      ['Loaded 4 TB a day into Snowflake tables with dbt', 'Redshift clusters with sort keys', 'BigQuery'],
      ['Snowflake fell all night at the ski resort', 'Measured the redshift of distant galaxies'],
    ],
    [
      'data-quality-schema',
      'quality-frameworks',
      ['Great Expectations suites on every load', 'pandera schemas on every frame'],
      ['Read Great Expectations by Dickens'],
    ],
    [
      'ingestion-design',
      'table-formats',
      ['Apache Iceberg tables on S3', 'Delta Lake with Unity Catalog'],
      ['Chopped iceberg lettuce for the salad', 'Toured the Nile delta'],
    ],
    [
      'python-data-at-scale',
      'distributed-python',
      ['PySpark jobs on EMR clusters', 'Spark SQL over the events table'],
      ['Sparked interest in reading among pupils'],
    ],
    [
      'python-data-at-scale',
      'dataframes',
      ['Rewrote pandas transforms in polars'],
      ['Watched giant pandas at the zoo'],
    ],
    [
      'pipeline-orchestration',
      'airflow',
      ['Airflow DAGs for nightly loads', 'Migrated cron scripts to Airflow'],
      ['Improved kitchen airflow and ventilation'],
    ],
    [
      'pipeline-orchestration',
      'other-orchestrators',
      ['Prefect flows orchestrating ingestion', 'Dagster assets'],
      ['Head prefect of the school'],
    ],
    [
      'pipeline-orchestration',
      'designed-orchestration',
      ['Led the migration of data orchestration to Dagster'],
      ['Migrated the orchestration system from DC/OS to Kubernetes'],
    ],
    ['pipeline-orchestration', 'dbt', ['Wrote dbt models for finance marts'], ['Ran DBT skills groups']],
    [
      'streaming-brokers',
      'kafka',
      ['Kafka consumers with exactly-once semantics'],
      ['Read Franz Kafka on the train', "Wrote on Kafka's The Trial"],
    ],
    [
      'streaming-brokers',
      'event-time',
      ['Handled late data with watermarks and tumbling windows'],
      ['Arrived late to the event'],
    ],
    [
      'warehousing-sql',
      'query-speedup',
      ['Cut the daily revenue model from 40 min to 3 min'],
      ['Cut the commute from 40 min to 30 min'],
    ],
    [
      'data-code-quality',
      'packaging',
      ['Packaged shared libraries with Python Poetry'],
      ['Poetry, music and art'],
    ],
  ];

  it.each(cases)('%s/%s fires on its subject and not on look-alikes', (competencyId, signalId, yes, no) => {
    const re = signal(competencyId, signalId);
    for (const text of yes) expect(re.test(text), text).toBe(true);
    for (const text of no) expect(re.test(text), text).toBe(false);
  });
});

describe('the offline drafter with the data-engineer rubric, on the resume corpus', () => {
  const corpus = new Map(corpusResumes().map((r) => [r.name, r.bytes]));
  const draftOf = async (name: string) => {
    const bytes = corpus.get(name);
    if (!bytes) throw new Error(`no corpus resume ${name}`);
    const { text } = await extractDocument(bytes);
    return { text, draft: draftOffline(text, rubric) };
  };
  const level = (draft: ReturnType<typeof draftOffline>, id: string) =>
    draft.competencies.find((c) => c.competencyId === id)?.level;

  it('grades an SRE who built Kafka consumers on streaming, with verbatim quotes, and not on warehousing', async () => {
    const { text, draft } = await draftOf('awesome-cv-resume.pdf');
    expect(draft.competencies.map((c) => c.competencyId)).toEqual(rubric.competencies.map((c) => c.id));
    expect(level(draft, 'streaming-brokers')).toBeGreaterThanOrEqual(2);
    const streaming = draft.competencies.find((c) => c.competencyId === 'streaming-brokers');
    expect(streaming?.evidence.some((e) => /kafka/i.test(e.quote))).toBe(true);
    for (const c of draft.competencies) for (const e of c.evidence) expect(text).toContain(e.quote);
    // Container orchestration is not data orchestration; no warehouse, dataframe or ingestion work is described.
    expect(level(draft, 'pipeline-orchestration')).toBeNull();
    expect(level(draft, 'warehousing-sql')).toBeNull();
    expect(level(draft, 'python-data-at-scale')).toBeNull();
    expect(draft.recommendation).not.toBe('advance');
  });

  it('finds no data-engineering evidence in a business student’s resume and declines', async () => {
    const { draft } = await draftOf('laverne-resume.pdf');
    expect(draft.competencies.every((c) => c.level === null)).toBe(true);
    expect(draft.recommendation).toBe('decline');
  });
});
