import { describe, expect, it } from 'vitest';
import type { AssessedCompetency } from '../assessment/assessment';
import type { GroundedDraft } from '../assessment/grounding';
import { aggregateSamples } from './samples';

const sample = (levels: Array<number | null>): GroundedDraft => ({
  competencies: levels.map(
    (level, i): AssessedCompetency => ({
      competencyId: `c${i}`,
      name: `C${i}`,
      level: level as AssessedCompetency['level'],
      confidence: 0.8,
      rationale: `level ${level}`,
      evidence:
        level === null
          ? []
          : [
              {
                quote: `q${i}-${level}`,
                source: 'resume',
                start: i * 10 + level,
                end: i * 10 + level + 5,
                file: null,
                lineStart: null,
                lineEnd: null,
              },
            ],
      spread: null,
    }),
  ),
  flags: [],
  stats: { quotes: 0, verified: 0 },
});

describe('aggregateSamples', () => {
  it('passes a single sample through unchanged', () => {
    const one = sample([3, null]);
    expect(aggregateSamples([one], 2).competencies).toEqual(one.competencies);
  });

  it('takes the median per competency, the lower one for an even count, and stores the spread', () => {
    const { competencies, flags } = aggregateSamples(
      [sample([2, 3, 1]), sample([3, 3, 1]), sample([4, 3, 2])],
      2,
    );
    expect(competencies.map((c) => c.level)).toEqual([3, 3, 1]);
    expect(competencies.map((c) => c.spread)).toEqual([2, 0, 1]);
    expect(competencies[0]?.sampleLevels).toEqual([2, 3, 4]);
    expect(flags.filter((f) => f.code === 'unstable_score').map((f) => f.competencyId)).toEqual(['c0']);
    expect(aggregateSamples([sample([2]), sample([3])], 2).competencies[0]?.level).toBe(2);
  });

  it('is null unless most samples found verified evidence, and counts a missing level as spread', () => {
    const { competencies, flags } = aggregateSamples([sample([null]), sample([null]), sample([4])], 2);
    expect(competencies[0]?.level).toBeNull();
    expect(competencies[0]?.evidence).toEqual([]);
    expect(competencies[0]?.spread).toBe(1);
    expect(flags).toEqual([]);
  });

  it('keeps evidence from the samples close to the median, each passage once', () => {
    const { competencies } = aggregateSamples([sample([3]), sample([3]), sample([1])], 2);
    expect(competencies[0]?.evidence.map((e) => e.quote)).toEqual(['q0-3']);
  });
});
