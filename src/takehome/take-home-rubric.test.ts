import { describe, expect, it } from 'vitest';
import { buildMessages } from '../prompting/build-messages';
import { loadPromptTemplate } from '../prompting/prompt-template';
import { loadRubric } from '../rubric/rubric';
import { TAKE_HOME_TEMPLATE_ID } from './take-home-kind';

const signal = async (competencyId: string, signalId: string) => {
  const rubric = await loadRubric('senior-python-take-home');
  const found = rubric.competencies
    .find((c) => c.id === competencyId)
    ?.signals.find((s) => s.id === signalId);
  if (!found) throw new Error(`no signal ${competencyId}/${signalId}`);
  return new RegExp(found.pattern, 'iu');
};

describe('the take-home rubric', () => {
  it('is a take-home rubric over the same competencies as the resume rubric', async () => {
    const [takeHome, resume] = await Promise.all([
      loadRubric('senior-python-take-home'),
      loadRubric('senior-python-backend'),
    ]);
    expect(takeHome.kind).toBe('take-home');
    expect(takeHome.competencies.map((c) => c.id)).toEqual(resume.competencies.map((c) => c.id));
    for (const c of takeHome.competencies) {
      expect(
        c.signals.some((s) => s.suggests >= 3),
        c.id,
      ).toBe(true);
    }
  });

  it.each([
    [
      'async-concurrency',
      'bounded-concurrency',
      '    semaphore = asyncio.Semaphore(8)',
      'semaphore = threading.Semaphore(8)',
    ],
    [
      'database-optimization',
      'select-related',
      'Order.objects.select_related("customer")',
      '# we should select related rows',
    ],
    [
      'database-optimization',
      'query-count-tests',
      '    with django_assert_num_queries(3):',
      'assert len(queries) == 3',
    ],
    [
      'data-integrity-schema-evolution',
      'transactions',
      '    with transaction.atomic():',
      'transaction = Transaction()',
    ],
    [
      'resilience-observability',
      'module-loggers',
      'logger = logging.getLogger(__name__)',
      'logger = MyLogger()',
    ],
    ['code-quality', 'tests', 'def test_fetch_retries() -> None:', 'def fetch_test_data():'],
  ])('%s / %s fires on code and not on a look-alike', async (competency, id, code, lookAlike) => {
    const re = await signal(competency, id);
    expect(re.test(code)).toBe(true);
    expect(re.test(lookAlike)).toBe(false);
  });

  it('builds a static prefix with the rubric and no candidate material, long enough for prompt caching', async () => {
    const [rubric, template] = await Promise.all([
      loadRubric('senior-python-take-home'),
      loadPromptTemplate(TAKE_HOME_TEMPLATE_ID),
    ]);
    const a = buildMessages(template, rubric, '<file path="a.py" lines="1-1" role="source">\nx = 1\n</file>');
    const b = buildMessages(template, rubric, '<file path="b.py" lines="1-1" role="source">\ny = 2\n</file>');
    expect(a.system).toBe(b.system);
    expect(a.promptHash).toBe(b.promptHash);
    expect(a.system).toContain('Rubric senior-python-take-home 1.0.0');
    expect(a.system).not.toContain('x = 1');
    expect(a.user).toContain('<candidate_material>\n<file path="a.py"');
    // About four characters a token: comfortably over the 1024-token threshold.
    expect(a.staticPrefixChars).toBeGreaterThan(4 * 1024 * 1.5);
  });
});
