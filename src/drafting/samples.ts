import type { AssessedCompetency, Flag, Level } from '../assessment/assessment';
import type { GroundedDraft } from '../assessment/grounding';

/**
 * Several samples of one screening, aggregated per competency after grounding: the level is the median of the
 * verified levels (the lower median for an even count: between two readings the more cautious one), `null` when
 * at most half the samples found verifiable evidence; the spread (max minus min, a missing level counting as a
 * difference of its own) is stored, and a wide one is flagged so the reviewer knows the drafter wavered.
 */
export interface Aggregated {
  competencies: AssessedCompetency[];
  flags: Flag[];
}

type EvidenceItem = AssessedCompetency['evidence'][number];

/** One passage, wherever it is: resume offsets, or a take-home's file and lines. */
const placeKey = (e: EvidenceItem): string =>
  e.source === 'take-home' ? `${e.file}:${e.lineStart}-${e.lineEnd}:${e.quote}` : `${e.start}:${e.end}`;

/** Reading order: through the resume, or file by file and line by line. */
const readingOrder = (a: EvidenceItem, b: EvidenceItem): number =>
  (a.file ?? '').localeCompare(b.file ?? '') ||
  (a.lineStart ?? 0) - (b.lineStart ?? 0) ||
  (a.start ?? 0) - (b.start ?? 0);

const lowerMedian = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

export function aggregateSamples(samples: readonly GroundedDraft[], unstableSpread: number): Aggregated {
  const first = samples[0];
  if (!first) throw new Error('aggregateSamples needs at least one sample');
  if (samples.length === 1) {
    return { competencies: first.competencies, flags: [...first.flags] };
  }
  const flags: Flag[] = [];
  const seenFlags = new Set<string>();
  for (const sample of samples) {
    for (const f of sample.flags) {
      const key = `${f.code}|${f.competencyId}|${f.message}`;
      if (seenFlags.has(key)) continue;
      seenFlags.add(key);
      flags.push(f);
    }
  }

  const competencies = first.competencies.map((base, index) => {
    const readings = samples.map((s) => s.competencies[index] as AssessedCompetency);
    const levels = readings.map((r) => r.level);
    const present = levels.filter((l): l is Level => l !== null);
    const level = present.length * 2 > samples.length ? (lowerMedian(present) as Level) : null;
    const spread =
      present.length === 0
        ? 0
        : Math.max(...present) - Math.min(...present) + (present.length < samples.length ? 1 : 0);
    const cappedSpread = Math.min(4, spread);
    // Evidence from every sample that agrees with the median, each passage once, in reading order.
    const evidence = new Map<string, EvidenceItem>();
    for (const r of readings) {
      if (level === null || r.level === null || Math.abs(r.level - level) > 1) continue;
      for (const e of r.evidence) evidence.set(placeKey(e), e);
    }
    const representative =
      readings.find((r) => r.level === level) ?? readings.find((r) => r.level !== null) ?? base;
    const confidences = readings.map((r) => r.confidence);
    const confidence = lowerMedian(confidences) * (cappedSpread >= unstableSpread ? 0.5 : 1);
    if (cappedSpread >= unstableSpread) {
      flags.push({
        code: 'unstable_score',
        severity: 'warning',
        message: `The ${samples.length} samples disagreed on this competency (levels ${levels.map((l) => l ?? 'null').join(', ')}); the median is shown. Check the evidence.`,
        competencyId: base.competencyId,
        span: null,
      });
    }
    return {
      ...base,
      level,
      confidence: Math.round(confidence * 100) / 100,
      rationale: representative.rationale,
      evidence: level === null ? [] : [...evidence.values()].sort(readingOrder),
      spread: cappedSpread,
      sampleLevels: levels,
    } satisfies AssessedCompetency;
  });
  return { competencies, flags };
}
