import type { AssessedCompetency, Evidence, Flag, ModelDraft } from '../assessment/assessment';
import { locateQuote, type NormalizedText, normalizeForMatch } from '../assessment/normalize';
import type { Rubric } from '../rubric/rubric';
import type { Chunk } from './material';

/**
 * Grounding for take-homes, the same rules as for resumes: every quote the model gives is looked up, after the same
 * normalisation (`src/assessment/normalize.ts`), in the code the model was shown; a quote found nowhere is dropped and
 * flagged, and a level left without a verified quote becomes `null`. A verified quote becomes evidence at
 * `path:lineStart-lineEnd`, with the exact text of those lines' span.
 */

export interface GroundedTakeHome {
  competencies: AssessedCompetency[];
  flags: Flag[];
  stats: { quotes: number; verified: number };
}

interface Located {
  file: string;
  lineStart: number;
  lineEnd: number;
  quote: string;
}

const flag = (
  code: Flag['code'],
  severity: Flag['severity'],
  message: string,
  competencyId: string | null = null,
): Flag => ({
  code,
  severity,
  message,
  competencyId,
  span: null,
});

const preview = (quote: string): string => (quote.length > 80 ? `${quote.slice(0, 77)}...` : quote);

/** Finds quotes in chunks, in the order the model saw them; normalises each chunk once. */
export function quoteLocator(chunks: readonly Chunk[]): (quote: string) => Located | null {
  const normalised = new Map<Chunk, NormalizedText>();
  return (quote) => {
    for (const chunk of chunks) {
      let text = normalised.get(chunk);
      if (!text) {
        text = normalizeForMatch(chunk.text);
        normalised.set(chunk, text);
      }
      const at = locateQuote(text, quote);
      if (!at) continue;
      const before = chunk.text.slice(0, at.start);
      const through = chunk.text.slice(0, Math.max(at.start, at.end - 1));
      return {
        file: chunk.path,
        lineStart: chunk.lineStart + countNewlines(before),
        lineEnd: chunk.lineStart + countNewlines(through),
        quote: chunk.text.slice(at.start, at.end),
      };
    }
    return null;
  };
}

const countNewlines = (text: string): number => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

export function groundTakeHomeDraft(
  draft: ModelDraft,
  chunks: readonly Chunk[],
  rubric: Rubric,
): GroundedTakeHome {
  const locate = quoteLocator(chunks);
  const known = new Map(rubric.competencies.map((c) => [c.id, c]));
  const seen = new Map<string, AssessedCompetency>();
  const flags: Flag[] = [];
  let quotes = 0;
  let verified = 0;

  for (const item of draft.competencies) {
    const competency = known.get(item.competencyId);
    if (!competency) {
      flags.push(
        flag(
          'unknown_competency',
          'warning',
          `The draft assessed "${item.competencyId}", which the rubric does not have; it was dropped.`,
        ),
      );
      continue;
    }
    if (seen.has(competency.id)) {
      flags.push(
        flag(
          'unknown_competency',
          'warning',
          'The draft assessed this competency twice; the first was kept.',
          competency.id,
        ),
      );
      continue;
    }
    const evidence: Evidence[] = [];
    const places = new Set<string>();
    for (const { quote } of item.evidence) {
      quotes++;
      const at = locate(quote);
      if (!at) {
        flags.push(
          flag(
            'unverifiable_quote',
            'warning',
            `Quote not found in the submitted code: "${preview(quote)}"`,
            competency.id,
          ),
        );
        continue;
      }
      const place = `${at.file}:${at.lineStart}-${at.lineEnd}:${at.quote}`;
      if (places.has(place)) continue;
      places.add(place);
      verified++;
      evidence.push({
        quote: at.quote,
        source: 'take-home',
        start: null,
        end: null,
        file: at.file,
        lineStart: at.lineStart,
        lineEnd: at.lineEnd,
      });
    }
    let level = item.level;
    if (level !== null && evidence.length === 0) {
      flags.push(
        flag(
          'insufficient_evidence',
          'warning',
          `The draft gave level ${level} without verifiable evidence in the code; the level was set to insufficient evidence.`,
          competency.id,
        ),
      );
      level = null;
    }
    seen.set(competency.id, {
      competencyId: competency.id,
      name: competency.name,
      level,
      confidence: level === null ? Math.min(item.confidence, 0.5) : item.confidence,
      rationale: item.rationale,
      evidence,
      spread: null,
    });
  }

  const competencies = rubric.competencies.map((c) => {
    const found = seen.get(c.id);
    if (found) return found;
    flags.push(flag('missing_competency', 'info', 'The draft did not assess this competency.', c.id));
    return {
      competencyId: c.id,
      name: c.name,
      level: null,
      confidence: 0,
      rationale: 'Not assessed by the drafter.',
      evidence: [],
      spread: null,
    } satisfies AssessedCompetency;
  });
  return { competencies, flags, stats: { quotes, verified } };
}
