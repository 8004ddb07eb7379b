import { describe, expect, it } from 'vitest';
import { zip } from '../../tests/support/archives';
import { projectZip } from '../../tests/support/take-home-project';
import { groundDraft } from '../assessment/grounding';
import { OfflineDrafter } from '../drafting/offline-drafter';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { prepareMaterial } from '../safety/prepare-material';
import { buildMaterial } from './material';
import { readTakeHome } from './take-home';

async function draftOf(archive: Uint8Array) {
  const [rubric, template] = await Promise.all([
    loadRubric('senior-python-take-home'),
    loadPromptTemplate('take-home-review'),
  ]);
  const { text, code } = buildMaterial(readTakeHome(archive), { tokenBudget: 24_000 });
  const prepared = prepareMaterial({
    text,
    hidden: [],
    candidate: { name: null, email: null },
    blindScreening: false,
    code,
  });
  if (!prepared.ok) throw new Error(prepared.message);
  const { material, injections } = prepared.prepared;
  // Through the same port the worker uses: the offline drafter sees a take-home rubric and applies the code rules.
  const result = await new OfflineDrafter().draft({
    text: material.text,
    rubric,
    template,
    screeningId: 'scr_test',
  });
  return { result, grounded: groundDraft(result.draft, { material, injections, hidden: [], code }, rubric) };
}

const levelOf = (grounded: Awaited<ReturnType<typeof draftOf>>['grounded'], id: string) =>
  grounded.competencies.find((c) => c.competencyId === id)?.level;

describe('the offline drafter on a take-home', () => {
  it('drafts the realistic project from its code, with every quote grounded at a path and line', async () => {
    const { result, grounded } = await draftOf(projectZip());
    expect(result.drafter).toBe('offline');
    expect(grounded.stats.quotes).toBeGreaterThan(8);
    expect(grounded.stats.verified).toBe(grounded.stats.quotes);
    expect(grounded.flags.filter((f) => f.code === 'unverifiable_quote')).toEqual([]);
    // Semaphore, gather with return_exceptions, async clients: senior async; query counts pinned by a test.
    expect(levelOf(grounded, 'async-concurrency')).toBeGreaterThanOrEqual(3);
    expect(levelOf(grounded, 'database-optimization')).toBe(4);
    expect(levelOf(grounded, 'ai-integration')).toBeNull();
    for (const competency of grounded.competencies) {
      for (const evidence of competency.evidence) {
        expect(evidence.file).toMatch(/^orders-service\/.+\.(?:py|toml|txt)$/);
        expect(evidence.file).not.toMatch(/README|\.venv|vendor/);
      }
    }
    expect(result.draft.concerns).toContain(
      'No test imports orders-service/orders/views.py, orders-service/orders/serializers.py',
    );
  });

  it('caps levels where the static signals show a problem: blocking calls in coroutines, bare excepts, no tests', async () => {
    const { grounded, result } = await draftOf(
      zip({
        'svc/fetch.py': [
          'import asyncio',
          'import time',
          'import requests',
          '',
          'async def fetch_all(urls):',
          '    semaphore = asyncio.Semaphore(10)',
          '    results = await asyncio.gather(*[fetch(u) for u in urls], return_exceptions=True)',
          '    time.sleep(1)',
          '    return results',
          '',
          'async def fetch(url):',
          '    try:',
          '        return requests.get(url, timeout=5)',
          '    except:',
          '        return None',
        ].join('\n'),
      }),
    );
    expect(levelOf(grounded, 'async-concurrency')).toBe(2);
    expect(grounded.competencies.find((c) => c.competencyId === 'async-concurrency')?.rationale).toMatch(
      /capped at 2: 2 blocking call\(s\) inside coroutines/,
    );
    expect(levelOf(grounded, 'resilience-observability') ?? 0).toBeLessThanOrEqual(2);
    expect(result.draft.concerns).toEqual(
      expect.arrayContaining([
        'blocking calls inside async functions: 2 (svc/fetch.py:8, svc/fetch.py:13)',
        'bare except clauses: 1 (svc/fetch.py:14)',
        'No tests in the submission',
      ]),
    );
    expect(result.draft.recommendation).not.toBe('advance');
  });
});
