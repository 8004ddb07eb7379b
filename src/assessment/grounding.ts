import type { Rubric } from '../rubric/rubric';
import type { AssessedCompetency, Evidence, Flag, ModelDraft } from './assessment';
import { locateQuote, normalizeForMatch } from './normalize';

/**
 * Grounding: the model never gets the last word on what the candidate wrote. Every quote is looked up in the
 * candidate's text; a quote that is not there is dropped and flagged; a level left without verified evidence becomes
 * `null` (insufficient evidence). Competencies the rubric does not know are dropped; those the draft forgot are added
 * as `null`. The output follows the rubric's order.
 */
export interface GroundedDraft {
  competencies: AssessedCompetency[];
  flags: Flag[];
  stats: { quotes: number; verified: number };
}

const flag = (
  code: Flag['code'],
  severity: Flag['severity'],
  message: string,
  competencyId: string | null = null,
): Flag => ({ code, severity, message, competencyId, span: null });

const preview = (quote: string): string => (quote.length > 80 ? `${quote.slice(0, 77)}...` : quote);

export function groundDraft(draft: ModelDraft, sourceText: string, rubric: Rubric): GroundedDraft {
  const source = normalizeForMatch(sourceText);
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
    const spans = new Set<string>();
    for (const { quote } of item.evidence) {
      quotes++;
      const at = locateQuote(source, quote);
      if (!at) {
        flags.push(
          flag(
            'unverifiable_quote',
            'warning',
            `Quote not found in the candidate's text: "${preview(quote)}"`,
            competency.id,
          ),
        );
        continue;
      }
      const spanKey = `${at.start}:${at.end}`;
      if (spans.has(spanKey)) continue; // the same evidence twice adds nothing
      spans.add(spanKey);
      verified++;
      evidence.push({
        quote: sourceText.slice(at.start, at.end),
        source: 'resume',
        start: at.start,
        end: at.end,
        file: null,
        lineStart: null,
        lineEnd: null,
      });
    }
    let level = item.level;
    if (level !== null && evidence.length === 0) {
      flags.push(
        flag(
          'insufficient_evidence',
          'warning',
          `The draft gave level ${level} without verifiable evidence; the level was set to insufficient evidence.`,
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
