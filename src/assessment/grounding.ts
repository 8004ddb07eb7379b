import type { HiddenSpan } from '../extraction/hidden-span';
import type { Rubric } from '../rubric/rubric';
import { type CodeText, placeInCode } from '../safety/code-text';
import { editsWithin, type Material, toOriginal, untouched } from '../safety/material';
import type { AssessedCompetency, Evidence, FileLocation, Flag, ModelDraft } from './assessment';
import { type Located, locateAll, type NormalizedText, normalizeForMatch, quoteNeedle } from './normalize';

/**
 * Grounding: the model never gets the last word on what the candidate wrote. Every quote is looked up in the
 * material the model saw and mapped back to the candidate's own text; a quote that is not there is dropped and
 * flagged; so is a quote from a withheld injection span, from a redaction placeholder, or from hidden text. A level
 * left without verified evidence becomes `null` (insufficient evidence). Competencies the rubric does not know are
 * dropped; those the draft forgot are added as `null`. The output follows the rubric's order. For a take-home the
 * original is the rendered code (`code`): a quote must lie inside one file's excerpt, and its evidence is that
 * file's lines (`path:lineStart-lineEnd`); Vetline's own summary around the files is never evidence.
 */
export interface GroundingSource {
  material: Material;
  /** Instruction-like spans of the original text: nothing inside them is evidence. */
  injections: ReadonlyArray<{ start: number; end: number }>;
  hidden: readonly HiddenSpan[];
  /** Set for a take-home: where the files' excerpts sit in the original. */
  code?: CodeText;
}

export interface GroundedDraft {
  competencies: AssessedCompetency[];
  flags: Flag[];
  stats: { quotes: number; verified: number };
}

/** More quotes than this for one competency are not read: a reviewer checks a handful, not a wall. */
export const MAX_EVIDENCE_PER_COMPETENCY = 6;
/** A quote longer than this is not a quote but a copy of the resume. */
export const MAX_QUOTE_CHARS = 600;

export const plainSource = (text: string): GroundingSource => ({
  material: untouched(text),
  injections: [],
  hidden: [],
});

const flag = (
  code: Flag['code'],
  severity: Flag['severity'],
  message: string,
  competencyId: string | null = null,
  span: Flag['span'] = null,
): Flag => ({ code, severity, message, competencyId, span });

const preview = (quote: string): string => {
  const flat = quote.replace(/\s+/gu, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
};

type Verdict =
  | { ok: true; at: Located; place: FileLocation | null }
  | { ok: false; why: 'missing' | 'injection' | 'hidden' | 'placeholder' | 'too_long' };

const overlaps = (a: Located, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

class QuoteChecker {
  private readonly normalised: NormalizedText;
  private hiddenNormalised: string[] | null = null;
  private originalNormalised: NormalizedText | null = null;

  constructor(private readonly source: GroundingSource) {
    this.normalised = normalizeForMatch(source.material.text);
  }

  check(quote: string): Verdict {
    if (quoteNeedle(quote).length > MAX_QUOTE_CHARS) return { ok: false, why: 'too_long' };
    const { material, injections } = this.source;
    let tainted = false;
    let placeholderOnly = false;
    for (const at of locateAll(this.normalised, quote)) {
      const edits = editsWithin(material, at.start, at.end).filter(
        (e) => e.kind !== 'invisible' && e.kind !== 'markup',
      );
      const original = toOriginal(material, at.start, at.end);
      if (edits.some((e) => e.kind === 'injection') || injections.some((i) => overlaps(original, i))) {
        tainted = true;
        continue;
      }
      const placeholderChars = edits.reduce(
        (n, e) => n + Math.min(e.materialEnd, at.end) - Math.max(e.materialStart, at.start),
        0,
      );
      const visible = material.text.slice(at.start, at.end).replace(/\s+/gu, '').length;
      if (placeholderChars >= visible - 2) {
        placeholderOnly = true;
        continue;
      }
      if (!this.source.code) return { ok: true, at: original, place: null };
      // In a take-home only the files are evidence: a quote of Vetline's summary (or across two files) is not.
      const place = placeInCode(this.source.code, material.original, original.start, original.end);
      if (place) return { ok: true, at: original, place };
    }
    if (tainted || this.inInjection(quote)) return { ok: false, why: 'injection' };
    if (placeholderOnly) return { ok: false, why: 'placeholder' };
    if (this.inHidden(quote)) return { ok: false, why: 'hidden' };
    return { ok: false, why: 'missing' };
  }

  /** A quote of withheld text: the model cannot have read it in the material, so it came from elsewhere. */
  private inInjection(quote: string): boolean {
    if (this.source.injections.length === 0) return false;
    this.originalNormalised ??= normalizeForMatch(this.source.material.original);
    return locateAll(this.originalNormalised, quote).some((at) =>
      this.source.injections.some((i) => overlaps(at, i)),
    );
  }

  private inHidden(quote: string): boolean {
    const needle = quoteNeedle(quote);
    if (needle.length < 8 || this.source.hidden.length === 0) return false;
    this.hiddenNormalised ??= this.source.hidden.map((h) => normalizeForMatch(h.text).text);
    return this.hiddenNormalised.some((h) => h.includes(needle));
  }
}

function rejection(
  why: Exclude<Verdict, { ok: true }>['why'],
  quote: string,
  competencyId: string,
  code: boolean,
): Flag {
  const q = preview(quote);
  switch (why) {
    case 'injection':
      return flag(
        'injected_evidence',
        'critical',
        `The draft quoted text flagged as an injection attempt: "${q}". It is not evidence and was dropped; the draft may have followed it.`,
        competencyId,
      );
    case 'hidden':
      return flag(
        'injected_evidence',
        'critical',
        `The draft quoted hidden text the model was never shown: "${q}". It is not evidence and was dropped.`,
        competencyId,
      );
    case 'placeholder':
      return flag(
        'unverifiable_quote',
        'warning',
        `The quote is only a redaction placeholder: "${q}"; it was dropped.`,
        competencyId,
      );
    case 'too_long':
      return flag(
        'echoed_material',
        'warning',
        `A quote of ${quote.length} characters copies the ${code ? 'code' : 'resume'} rather than citing it; it was dropped.`,
        competencyId,
      );
    case 'missing':
      return flag(
        'unverifiable_quote',
        'warning',
        code
          ? `Quote not found in the submitted code: "${q}"`
          : `Quote not found in this candidate's text: "${q}"`,
        competencyId,
      );
  }
}

export function groundDraft(
  draft: ModelDraft,
  source: GroundingSource | string,
  rubric: Rubric,
): GroundedDraft {
  const src = typeof source === 'string' ? plainSource(source) : source;
  const original = src.material.original;
  const checker = new QuoteChecker(src);
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
          `The draft assessed "${preview(item.competencyId)}", which the rubric does not have; it was dropped.`,
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
    const considered = item.evidence.slice(0, MAX_EVIDENCE_PER_COMPETENCY);
    if (item.evidence.length > considered.length) {
      flags.push(
        flag(
          'oversized_output',
          'info',
          `The draft gave ${item.evidence.length} quotes; only the first ${MAX_EVIDENCE_PER_COMPETENCY} were checked.`,
          competency.id,
        ),
      );
    }
    let duplicates = 0;
    for (const { quote } of considered) {
      quotes++;
      const verdict = checker.check(quote);
      if (!verdict.ok) {
        flags.push(rejection(verdict.why, quote, competency.id, src.code !== undefined));
        continue;
      }
      const { at, place } = verdict;
      const spanKey = `${at.start}:${at.end}`;
      if (spans.has(spanKey)) {
        duplicates++;
        continue;
      }
      spans.add(spanKey);
      verified++;
      const quoted = original.slice(at.start, at.end);
      evidence.push(
        place
          ? { quote: quoted, source: 'take-home', start: null, end: null, ...place }
          : {
              quote: quoted,
              source: 'resume',
              start: at.start,
              end: at.end,
              file: null,
              lineStart: null,
              lineEnd: null,
            },
      );
    }
    if (duplicates > 0) {
      flags.push(
        flag(
          'duplicate_evidence',
          'info',
          `The draft cited the same passage ${duplicates + 1} times; it counts once.`,
          competency.id,
        ),
      );
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
