import type { Flag } from '../assessment/assessment';
import { sha256Hex } from '../core/hash';
import type { HiddenSpan } from '../extraction/hidden-span';
import { type CodePeople, codeRedactionEdits, findCodeLeaks } from './code-pii';
import { type CodeText, placeInCode } from './code-text';
import { detectInjections, type InjectionFinding } from './injection';
import { findLeaks, type Leak } from './leak-check';
import { applyEdits, type Edit, type Material } from './material';
import { type KnownPii, type People, PLACEHOLDERS, redactionEdits } from './redact';
import { resumePeople } from './resume-people';

/**
 * Everything between the stored text and the drafter: hidden text stays out (it is not in the stored text, and is
 * only ever reported), instruction-like spans are withheld, invisible characters are stripped, and with blind
 * screening personal details are redacted and a leak check runs on the result. If redaction or the leak check
 * fails, nothing may be sent: the caller gets a reason instead of material (fail closed).
 *
 * A resume always names its writer, so a resume whose candidate has no name (none given at upload, none found where
 * the resume credibly names its writer: resume-people.ts) fails closed too: there would be nothing to redact the name with, nor to check for. A take-home need
 * not name anyone (most code does not): its people are whoever the upload and the project's authorship metadata name
 * (code-pii.ts), and none at all is an answer, not a failure; emails and profile links are redacted regardless.
 */
export interface MaterialInput {
  /** The visible text (`StoredText.text`): hidden spans are already out of it. */
  text: string;
  hidden: readonly HiddenSpan[];
  candidate: KnownPii;
  blindScreening: boolean;
  /**
   * Set for a take-home (its rendered files; see code-text.ts): injections are looked for in its prose view with the
   * code rules, personal details by the code rules (code-pii.ts), and flags point at files and lines.
   */
  code?: CodeText;
}

export interface PreparedMaterial {
  material: Material;
  /** Instruction-like spans in the visible text (original offsets). */
  injections: InjectionFinding[];
  /** Instruction-like spans inside hidden spans (offsets within that span's text). */
  hiddenInjections: Array<{ index: number; finding: InjectionFinding }>;
  flags: Flag[];
  /** Placeholders in the material by kind (overlapping redactions merged: "Maria Gonzalez" is one `name`). */
  redactions: Record<string, number>;
  /** sha256 of the material text: what the draft cache is keyed by. */
  materialHash: string;
}

export type Preparation =
  | { ok: true; prepared: PreparedMaterial }
  | { ok: false; code: 'blind_screening_failed'; message: string };

/** Characters a reader cannot see that can still carry text to a model: zero-width, bidi controls, tag characters. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u{E0000}-\u{E007F}]+/gu;
/** Edits that are not personal details: they are not counted as redactions. */
const NOT_PERSONAL = new Set<Edit['kind']>(['injection', 'invisible', 'markup']);
/** Hidden spans reported one by one up to this many; the rest in one summary flag. */
const MAX_HIDDEN_FLAGS = 20;

const preview = (text: string, max = 120): string => {
  const flat = text.replace(/\s+/gu, ' ').replace(INVISIBLE, '').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
};

const HIDDEN_REASONS: Record<HiddenSpan['reason'], string> = {
  white_text: 'white or near-white text',
  tiny_text: 'text too small to read',
  invisible_render_mode: 'text drawn invisibly',
  off_page: 'text outside the page',
  under_image: 'text under an image',
  docx_vanish: 'text marked hidden in Word',
  docx_white: 'white text in Word',
  docx_tiny: 'text too small to read in Word',
};

export function hiddenTextFlags(
  hidden: readonly HiddenSpan[],
  hiddenInjections: PreparedMaterial['hiddenInjections'],
): Flag[] {
  const flags: Flag[] = [];
  hidden.slice(0, MAX_HIDDEN_FLAGS).forEach((span, index) => {
    const where = span.page === null ? '' : ` on page ${span.page}`;
    flags.push({
      code: 'hidden_text',
      severity: 'warning',
      message: `Hidden text (${HIDDEN_REASONS[span.reason]})${where} that a human reader would not see: "${preview(span.text)}". It was kept from the model.`,
      competencyId: null,
      span: null,
      hidden: { index, page: span.page, reason: span.reason, start: 0, end: span.text.length },
    });
  });
  if (hidden.length > MAX_HIDDEN_FLAGS) {
    flags.push({
      code: 'hidden_text',
      severity: 'warning',
      message: `${hidden.length - MAX_HIDDEN_FLAGS} more hidden text spans were found and kept from the model.`,
      competencyId: null,
      span: null,
    });
  }
  for (const { index, finding } of hiddenInjections) {
    const span = hidden[index] as HiddenSpan;
    flags.push({
      code: 'injection_attempt',
      severity: 'critical',
      message: `Hidden text ${finding.labels.join('; ')}: "${preview(span.text.slice(finding.start, finding.end))}". The model never saw it; it counts for nothing.`,
      competencyId: null,
      span: null,
      hidden: { index, page: span.page, reason: span.reason, start: finding.start, end: finding.end },
    });
  }
  return flags;
}

export function injectionFlags(text: string, findings: readonly InjectionFinding[], code?: CodeText): Flag[] {
  return findings.map((f) => {
    const quoted = `"${preview(text.slice(f.start, f.end))}". It was withheld from the model and nothing in it counts as evidence.`;
    if (!code) {
      return {
        code: 'injection_attempt',
        severity: 'critical',
        message: `Instruction-like text in the resume (${f.labels.join('; ')}): ${quoted}`,
        competencyId: null,
        span: { start: f.start, end: f.end },
      };
    }
    const location = placeInCode(code, text, f.start, f.end);
    const where = location
      ? `${location.file}:${location.lineStart}${location.lineEnd > location.lineStart ? `-${location.lineEnd}` : ''}`
      : 'Vetline’s summary of it (a file name)';
    return {
      code: 'injection_attempt',
      severity: 'critical',
      message: `Instruction-like text in the take-home at ${where} (${f.labels.join('; ')}): ${quoted}`,
      competencyId: null,
      span: null,
      ...(location ? { location } : {}),
    };
  });
}

const nameless: Preparation = {
  ok: false,
  code: 'blind_screening_failed',
  message:
    'Blind screening could not find the candidate’s name in the resume, so it could not make sure the name is ' +
    'removed; nothing was sent to the model. Upload the resume again with the candidate’s name (the Candidate name ' +
    'field, `candidateName` in the API, `--name` in the CLI), or have a reviewer screen it by hand.',
};

export function prepareMaterial(input: MaterialInput): Preparation {
  const { text, code } = input;
  const noun = code ? 'take-home' : 'resume';
  const injections = code ? detectInjections(code.prose, { code: true }) : detectInjections(text);
  const hiddenInjections = input.hidden.flatMap((span, index) =>
    detectInjections(span.text).map((finding) => ({ index, finding })),
  );
  const edits: Edit[] = injections.map((f) => ({
    kind: 'injection',
    start: f.start,
    end: f.end,
    replacement: PLACEHOLDERS.injection,
  }));
  for (const m of text.matchAll(INVISIBLE)) {
    edits.push({ kind: 'invisible', start: m.index, end: m.index + m[0].length, replacement: '' });
  }
  if (code) edits.push(...code.structural);

  let material: Material;
  let people: CodePeople | null = null;
  let resumeOf: People | null = null;
  const redactions: Record<string, number> = {};
  try {
    if (input.blindScreening) {
      let pii: Edit[];
      if (code) ({ edits: pii, people } = codeRedactionEdits(text, code, input.candidate));
      else {
        resumeOf = resumePeople(text, input.candidate);
        if (resumeOf.names.length === 0) return nameless;
        pii = redactionEdits(text, resumeOf);
      }
      edits.push(...pii);
    }
    material = applyEdits(text, edits);
    if (input.blindScreening) {
      for (const edit of material.edits) {
        if (!NOT_PERSONAL.has(edit.kind)) redactions[edit.kind] = (redactions[edit.kind] ?? 0) + 1;
      }
    }
  } catch (error) {
    const detail = error instanceof Error ? error.name : 'unknown error';
    return {
      ok: false,
      code: 'blind_screening_failed',
      message: `Personal details could not be removed from the ${noun} (${detail}); nothing was sent to the model.`,
    };
  }

  if (input.blindScreening) {
    let leaks: Leak[];
    if (code && people) {
      // The sent text with its code blanked: the same edits applied to the prose view, so the two stay aligned.
      const sentProse = applyEdits(code.prose, edits).text;
      leaks = findCodeLeaks(material.text, sentProse, people);
    } else leaks = findLeaks(material.text, resumeOf ?? { names: [], emails: [] });
    if (leaks.length > 0) {
      const kinds = [...new Set(leaks.map((l) => l.kind))].sort().join(', ');
      return {
        ok: false,
        code: 'blind_screening_failed',
        message: `The blind-screening check still found personal details (${kinds}) after redaction; nothing was sent to the model. A reviewer can screen this ${noun} by hand.`,
      };
    }
  }

  return {
    ok: true,
    prepared: {
      material,
      injections,
      hiddenInjections,
      flags: [...hiddenTextFlags(input.hidden, hiddenInjections), ...injectionFlags(text, injections, code)],
      redactions,
      materialHash: sha256Hex(material.text),
    },
  };
}
