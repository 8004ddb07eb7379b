import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ModelDraft } from '../assessment/assessment';
import type { PromptTemplate } from '../prompting/prompt-template';
import { loadRubric, parseRubric, type Rubric } from '../rubric/rubric';
import { type DraftRequest, zeroUsage } from './drafter';
import {
  draftOffline,
  MAX_EVIDENCE_PER_COMPETENCY,
  MAX_OFFLINE_CONFIDENCE,
  OFFLINE_MODEL,
  OfflineDrafter,
  offlinePromptHash,
} from './offline-drafter';
import { MAX_QUOTE_CHARS, quoteAround, splitLines } from './text-segments';

const rubric = await loadRubric('senior-python-backend');

const template: PromptTemplate = {
  id: 'resume-screen',
  version: '1.0.0',
  description: 'unused by the offline drafter',
  system: 'unused',
  user: '{{material}}',
  hash: 'unused',
};

const request = (text: string, r: Rubric = rubric): DraftRequest => ({
  text,
  rubric: r,
  template,
  screeningId: 'scr_test',
});

const SENIOR = `Ada Byrne - Staff Backend Engineer
8 years of Python in production.

Lumen Payments, Staff Engineer, 2021 - present
- Designed and owned an asyncio ingestion gateway handling 40k concurrent connections; removed event loop blocking calls and added backpressure with bounded queues.
- Led the move of 30 Django and Django REST Framework services to versioned APIs with custom DRF permissions and OAuth2, serving 12k requests/s.
- Fixed N+1 queries with select_related and prefetch_related, read EXPLAIN ANALYZE plans and added composite indexes; p95 query latency fell from 900 ms to 40 ms.
- Architected Kafka and Celery pipelines processing 2 billion events per day with exactly-once consumers and dead-letter queues.
- Planned zero-downtime schema migrations with Alembic and Django migrations (expand and contract), backfilling 3 billion rows with idempotent writes.
- Rolled out OpenTelemetry tracing and SLOs across all services; led incident response and blameless postmortems.
- Designed a RAG assistant on pgvector and the OpenAI API, with LLM evaluations and p95 latency under 800 ms.

Northwind Data, Senior Engineer, 2016 - 2021
- Designed the event-driven architecture for a platform serving 8 million users; wrote design docs and mentored five engineers.
- Introduced strict mypy and pytest with property-based testing; raised test coverage from 55% to 92% and led code review.
`;

const JUNIOR = `Sam Lee - Junior Developer
Education: BSc Computer Science, 2024
Skills: Python, Flask, SQL, Git, HTML, CSS
Projects
- Built a to-do list app with Flask and SQLite for a course project.
- Wrote Python scripts to clean CSV files with pandas.
- Learned about asynchronous programming in a university module.
`;

const CHEF = `Marie Dupont - Executive Chef
Skills: knife work, sauces, menu costing, food safety, team leadership
Le Petit Jardin, Head Chef, 2015 - present
- Led a brigade of 12 cooks and designed a seasonal tasting menu of 9 courses.
- Cut food waste by 30% with a new inventory system; pickled celery and strawberry preserves in-house.
- Improved kitchen airflow and ventilation during the 2019 renovation.
- Trained staff in food hygiene and managed supplier relationships.
`;

const levelsOf = (text: string, r: Rubric = rubric) =>
  Object.fromEntries(draftOffline(text, r).competencies.map((c) => [c.competencyId, c.level]));

describe('OfflineDrafter on a strong senior resume', () => {
  it('rates every competency at senior level or above, from evidence quoted verbatim', async () => {
    const result = await new OfflineDrafter().draft(request(SENIOR));
    const { draft } = result;
    expect(draft.competencies.map((c) => c.competencyId)).toEqual(rubric.competencies.map((c) => c.id));
    for (const c of draft.competencies) {
      expect(c.level, c.competencyId).not.toBeNull();
      expect(c.level ?? 0, c.competencyId).toBeGreaterThanOrEqual(3);
      expect(c.evidence.length, c.competencyId).toBeGreaterThan(0);
      expect(c.evidence.length, c.competencyId).toBeLessThanOrEqual(MAX_EVIDENCE_PER_COMPETENCY);
      expect(new Set(c.evidence.map((e) => e.quote)).size, c.competencyId).toBe(c.evidence.length);
      expect(c.confidence).toBeLessThanOrEqual(MAX_OFFLINE_CONFIDENCE);
      for (const { quote } of c.evidence) {
        expect(SENIOR.indexOf(quote), quote).toBeGreaterThanOrEqual(0);
        expect(quote).toBe(quote.trim());
        expect(quote.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
      }
    }
    expect(draft.competencies.filter((c) => c.level === 4).length).toBeGreaterThanOrEqual(5);
    expect(draft.recommendation).toBe('advance');
    expect(['staff', 'principal']).toContain(draft.estimatedSeniority);
    expect(draft.strengths).toHaveLength(9);
    expect(draft.concerns).toEqual([]);
  });

  it('explains each level with the signals found and the anchor reached', () => {
    const draft = draftOffline(SENIOR, rubric);
    const asyncC = draft.competencies.find((c) => c.competencyId === 'async-concurrency');
    const asyncRubric = rubric.competencies.find((c) => c.id === 'async-concurrency');
    expect(asyncC?.level).toBe(4);
    expect(asyncC?.rationale).toContain('designed-async');
    expect(asyncC?.rationale).toContain('backpressure');
    expect(asyncC?.rationale).toContain(asyncRubric?.levels[4]?.anchor);
    expect(asyncC?.rationale).toContain('ownership verbs');
    expect(asyncC?.rationale).toContain('current role (2021 - present)');
    expect(asyncC?.evidence[0]?.quote).toMatch(/^Designed and owned an asyncio ingestion gateway/);
  });

  it('labels the result as the offline drafter with zero usage and a rules hash', async () => {
    const result = await new OfflineDrafter().draft(request(SENIOR));
    expect(result).toMatchObject({
      drafter: 'offline',
      model: OFFLINE_MODEL,
      temperature: null,
      samples: 1,
      usage: zeroUsage(),
    });
    expect(result.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.promptHash).toBe(offlinePromptHash(rubric));
    expect(ModelDraft.safeParse(result.draft).success).toBe(true);
    expect(new OfflineDrafter().kind).toBe('offline');
  });

  it('changes the rules hash when the rubric changes', async () => {
    const source = await readFile(
      new URL('../../prompts/rubrics/senior-python-backend.yaml', import.meta.url),
      'utf8',
    );
    const edited = parseRubric(`${source}\n# edited\n`, 'edited.yaml');
    expect(offlinePromptHash(edited)).not.toBe(offlinePromptHash(rubric));
  });
});

describe('OfflineDrafter on weak or unrelated material', () => {
  it('keeps a junior resume low: coursework and skills lists count as exposure', () => {
    const draft = draftOffline(JUNIOR, rubric);
    const levels = draft.competencies.map((c) => c.level);
    for (const level of levels) expect(level === null || level <= 2).toBe(true);
    expect(levels.filter((l) => l === null).length).toBeGreaterThanOrEqual(5);
    expect(levelsOf(JUNIOR)['web-apis']).toBe(1);
    expect(levelsOf(JUNIOR)['async-concurrency']).toBeNull();
    expect(draft.recommendation).toBe('decline');
    expect(draft.estimatedSeniority).toBe('junior');
    expect(
      draft.concerns.some((c) => c.startsWith('Red flag (Web APIs)') && c.includes('to-do list app')),
    ).toBe(true);
  });

  it('does not let ownership verbs in coursework raise a level', () => {
    const text = 'Built a Django REST API with FastAPI, OAuth2 and OpenAPI docs for a course project.';
    const web = draftOffline(text, rubric).competencies.find((c) => c.competencyId === 'web-apis');
    expect(web?.level).toBe(1);
    expect(web?.rationale).toContain('coursework');
    expect(web?.rationale).not.toContain('raised');
  });

  it('gives a chef no level at all and asks about everything', () => {
    const draft = draftOffline(CHEF, rubric);
    for (const c of draft.competencies) {
      expect(c.level, c.competencyId).toBeNull();
      expect(c.evidence).toEqual([]);
      expect(c.rationale).toMatch(/insufficient/);
    }
    expect(['decline', 'hold']).toContain(draft.recommendation);
    expect(draft.estimatedSeniority).toBeNull();
    expect(draft.strengths).toEqual([]);
    expect(draft.concerns).toHaveLength(9);
    expect(draft.interviewPlan.technicalScreen).toHaveLength(5);
    expect(ModelDraft.safeParse(draft).success).toBe(true);
  });

  it('does not fire on look-alike words', () => {
    const lookAlikes = [
      'Film club: watched Django Unchained and wrote asynchronous letters to members.',
      'Read Franz Kafka and Kafka’s Metamorphosis; served celery sticks; improved airflow in the bakery.',
      'Wiped the pass with a rag; black belt in judo; able to explain recipes; head prefect at school.',
    ].join('\n');
    const levels = levelsOf(lookAlikes);
    expect(levels).toEqual(Object.fromEntries(rubric.competencies.map((c) => [c.id, null])));
  });

  it('gives a skills list lower levels than described, owned work with the same technologies', () => {
    const listed = 'Skills: Python, asyncio, Django, PostgreSQL, Kafka, Celery, pytest, mypy, OpenTelemetry';
    const owned = [
      'Designed and owned asyncio services for payments.',
      'Built Django services on PostgreSQL.',
      'Built Kafka consumers and Celery workers.',
      'Introduced pytest and mypy across the codebase.',
      'Instrumented services with OpenTelemetry.',
    ].join('\n');
    const fromList = levelsOf(listed);
    const fromWork = levelsOf(owned);
    const compared = [
      'async-concurrency',
      'web-apis',
      'data-pipelines',
      'code-quality',
      'resilience-observability',
    ];
    for (const id of compared) {
      expect(fromList[id], id).not.toBeNull();
      expect(fromList[id] ?? 0, id).toBeLessThan(fromWork[id] ?? 0);
    }
    const listRationale = draftOffline(listed, rubric).competencies[0]?.rationale;
    expect(listRationale).toContain('bare list of skills');
  });
});

describe('OfflineDrafter mechanics', () => {
  it('is deterministic', async () => {
    const a = await new OfflineDrafter().draft(request(SENIOR));
    const b = await new OfflineDrafter().draft(request(SENIOR));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(draftOffline(JUNIOR, rubric))).toBe(JSON.stringify(draftOffline(JUNIOR, rubric)));
  });

  it('quotes a sentence of a long paragraph, verbatim and capped', () => {
    const filler = 'Worked with product managers on the roadmap and quarterly planning for the team. '.repeat(
      8,
    );
    const text = `${filler}Rewrote the billing worker on asyncio with bounded queues. ${filler}`;
    const draft = draftOffline(text, rubric);
    const quotes = draft.competencies.flatMap((c) => c.evidence.map((e) => e.quote));
    expect(quotes).toContain('Rewrote the billing worker on asyncio with bounded queues.');
    for (const q of quotes) {
      expect(text.indexOf(q)).toBeGreaterThanOrEqual(0);
      expect(q.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    }
  });

  it('cuts an over-long sentence on word boundaries around the match', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
    words.splice(60, 0, 'asyncio');
    const text = words.join(' ');
    const [line] = splitLines(text);
    if (!line) throw new Error('no line');
    const at = text.indexOf('asyncio');
    const quote = quoteAround(text, line, at, at + 'asyncio'.length);
    expect(quote.text).toBe(text.slice(quote.start, quote.end));
    expect(quote.text.length).toBeLessThanOrEqual(MAX_QUOTE_CHARS);
    expect(quote.text).toContain('asyncio');
    expect(quote.text).toMatch(/^word\d+ .* word\d+$/);
  });

  it('splits lines with their offsets across line-ending styles', () => {
    const text = '  - first line\r\nsecond\n\n\rthird  ';
    const lines = splitLines(text);
    expect(lines.map((l) => l.text)).toEqual(['- first line', 'second', 'third']);
    for (const l of lines) expect(text.slice(l.start, l.end)).toBe(l.text);
  });

  it('notes claimed years and dated roles in the rationale', () => {
    const text = [
      'Acme, Backend Engineer, 2009 - 2012',
      '- Built Kafka consumers for order events.',
      'Globex, Tech Lead, 2019 - 2024',
      '- Wrote pytest suites; 6 years of pytest and unit tests.',
    ].join('\n');
    const draft = draftOffline(text, rubric);
    const pipelines = draft.competencies.find((c) => c.competencyId === 'data-pipelines');
    const quality = draft.competencies.find((c) => c.competencyId === 'code-quality');
    expect(pipelines?.rationale).toContain(
      'ended 12 years before the latest date on the resume (2009 - 2012)',
    );
    expect(quality?.rationale).toContain('"6 years"');
    expect(quality?.rationale).toContain('role dated 2019 - 2024');
  });

  it('lets a matched red flag hold back an otherwise strong resume', () => {
    const draft = draftOffline(`${SENIOR}- Built a blog app with Django for a course project.\n`, rubric);
    expect(draft.recommendation).toBe('hold');
    expect(draft.concerns.some((c) => c.includes('Built a blog app with Django'))).toBe(true);
  });

  it('does not advance a strong resume that never names Python', () => {
    const noPython = SENIOR.replaceAll(/Python|Django REST Framework|Django|asyncio|pytest/g, 'X');
    const draft = draftOffline(noPython, rubric);
    expect(draft.recommendation).toBe('hold');
    expect(draft.concerns.some((c) => c.includes('never names Python'))).toBe(true);
  });

  it('aims the technical screen at unverified competencies, from the senior anchor', () => {
    const text = 'Designed and owned asyncio services with backpressure handling 20k concurrent connections.';
    const draft = draftOffline(text, rubric);
    const screen = draft.interviewPlan.technicalScreen;
    expect(screen).toHaveLength(5);
    expect(screen.map((q) => q.competencyId)).not.toContain('async-concurrency');
    for (const q of screen) {
      const competency = rubric.competencies.find((c) => c.id === q.competencyId);
      expect(draft.competencies.find((c) => c.competencyId === q.competencyId)?.level).toBeNull();
      expect(q.question).toContain(competency?.name);
      expect(q.question).toContain('no evidence');
      expect(q.lookFor).toContain(competency?.levels[3]?.anchor);
    }
    expect(draft.interviewPlan.cultureFocus.length).toBeGreaterThanOrEqual(2);
    expect(draft.interviewPlan.cultureFocus.length).toBeLessThanOrEqual(3);
  });

  it('fits the system-design prompt to the strongest area', () => {
    const ai = draftOffline(
      'Designed a RAG assistant on pgvector and the OpenAI API with LLM evaluations.',
      rubric,
    );
    const data = draftOffline(
      'Architected Kafka pipelines processing 2 billion events per day with DLQs.',
      rubric,
    );
    expect(ai.interviewPlan.systemDesign.prompt).toMatch(/real-time inference/);
    expect(ai.interviewPlan.systemDesign.focus).toContain('evaluation and cost per request');
    expect(data.interviewPlan.systemDesign.prompt).toMatch(/ingestion pipeline/);
    expect(data.interviewPlan.systemDesign.focus).toContain('idempotent consumers and replay');
    const both = draftOffline(
      'Designed a RAG assistant on pgvector and the OpenAI API with LLM evaluations.\nUsed Kafka for events.',
      rubric,
    );
    expect(both.interviewPlan.systemDesign.prompt).toMatch(/real-time inference/);
  });

  it('stops before drafting when the caller has aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(new OfflineDrafter().draft(request(SENIOR), controller.signal)).rejects.toThrow('gone');
  });
});
