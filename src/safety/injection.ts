import { normalizeForMatch, originalSpan } from '../assessment/normalize';
import { INJECTION_RULES, type InjectionRule, LINE_RULES } from './injection-rules';

/**
 * Injection detection: instruction-like content in the candidate's material, found on normalised text (so case,
 * zero-width characters, soft hyphens, line breaks, full-width letters and Cyrillic/Greek look-alikes do not hide
 * it), in chat-transcript speaker labels at the start of a line, in base64 blobs and in invisible Unicode tag
 * characters. Each finding is widened to the line(s) it sits on: that is what the model is kept from seeing and
 * what the reviewer is shown.
 */
export interface InjectionFinding {
  /** Offsets in the scanned text, `[start, end)`. */
  start: number;
  end: number;
  /** Rule ids, e.g. `override`, `fake-turn`, `base64:score-demand`. */
  rules: string[];
  labels: string[];
}

export interface DetectOptions {
  /**
   * The text is a take-home's prose view (comments, strings and docs; code blanked): the rules' narrower code
   * patterns apply, and a speaker label must look like one (see injection-rules.ts).
   */
  code?: boolean;
}

/** A line longer than this is not swallowed whole: the finding widens to its sentence instead. */
const MAX_LINE_WIDENING = 500;
const BASE64_BLOB = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
const TAG_RUN = /[\u{E0000}-\u{E007F}]{4,}/gu;

interface Hit {
  start: number;
  end: number;
  rule: InjectionRule;
  prefix: string;
}

/** The pattern a rule uses on this kind of text; `null` when it does not apply. */
const patternOf = (rule: InjectionRule, options: DetectOptions): RegExp | null =>
  options.code && rule.code !== undefined ? rule.code : rule.pattern;

function scanNormalised(
  text: string,
  rules: readonly InjectionRule[],
  options: DetectOptions,
): Array<{ from: number; to: number; rule: InjectionRule }> {
  const hits: Array<{ from: number; to: number; rule: InjectionRule }> = [];
  for (const rule of rules) {
    const pattern = patternOf(rule, options);
    if (!pattern) continue;
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    for (const m of text.matchAll(global)) {
      if (m[0].length === 0) continue;
      hits.push({ from: m.index, to: m.index + m[0].length, rule });
    }
  }
  return hits;
}

/** Whether `text` (already decoded: a base64 payload, tag characters) says anything instruction-like. */
function instructionLike(text: string, options: DetectOptions): InjectionRule[] {
  const normalised = normalizeForMatch(text, { confusables: true }).text;
  return INJECTION_RULES.filter((rule) => patternOf(rule, options)?.test(normalised) === true);
}

/** On code, a speaker label is capitalised ("Assistant:", "SYSTEM:") and says something after it. */
function looksLikeSpeaker(line: string, start: number, end: number): boolean {
  const label = /\p{L}/u.exec(line.slice(start, end));
  const capitalised = label !== null && /\p{Lu}/u.test(label[0]);
  const said = line
    .slice(end)
    .trim()
    .split(/\s+/u)
    .filter((w) => w !== '');
  return capitalised && said.length >= 2;
}

function decodeBase64(blob: string): string | null {
  const bytes = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 12) return null;
  const text = bytes.toString('utf8');
  let printable = 0;
  for (const ch of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\r\t]/u.test(ch)) printable++;
  return printable / [...text].length >= 0.9 ? text : null;
}

function lineBounds(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
  const next = text.indexOf('\n', at);
  return { start: at > 0 && text[at - 1] === '\n' ? at : start, end: next < 0 ? text.length : next };
}

/** The line(s) holding `[start, end)`, or the sentence when the line is very long; trimmed of whitespace. */
function widen(text: string, start: number, end: number): { start: number; end: number } {
  const first = lineBounds(text, start);
  const last = lineBounds(text, Math.max(start, end - 1));
  let s = first.start;
  let e = last.end;
  if (e - s > MAX_LINE_WIDENING) {
    s = Math.max(first.start, start - 200);
    for (let i = start - 1; i >= s; i--) {
      if (/[.!?;]/.test(text[i] ?? '') && /\s/.test(text[i + 1] ?? '')) {
        s = i + 1;
        break;
      }
    }
    e = Math.min(last.end, end + 200);
    for (let i = end; i < e; i++) {
      if (/[.!?;]/.test(text[i] ?? '')) {
        e = i + 1;
        break;
      }
    }
  }
  while (s < e && /\s/u.test(text[s] ?? '')) s++;
  while (e > s && /\s/u.test(text[e - 1] ?? '')) e--;
  return { start: s, end: e };
}

export function detectInjections(text: string, options: DetectOptions = {}): InjectionFinding[] {
  const hits: Hit[] = [];
  const whole = normalizeForMatch(text, { confusables: true });
  for (const { from, to, rule } of scanNormalised(whole.text, INJECTION_RULES, options)) {
    const at = originalSpan(whole, from, to);
    hits.push({ ...at, rule, prefix: '' });
  }

  let lineStart = 0;
  for (const line of text.split('\n')) {
    const normalised = normalizeForMatch(line, { confusables: true });
    for (const { from, to, rule } of scanNormalised(normalised.text, LINE_RULES, {})) {
      const at = originalSpan(normalised, from, to);
      if (options.code && !looksLikeSpeaker(line, at.start, at.end)) continue;
      hits.push({ start: lineStart + at.start, end: lineStart + at.end, rule, prefix: '' });
    }
    lineStart += line.length + 1;
  }

  for (const m of text.matchAll(BASE64_BLOB)) {
    const decoded = decodeBase64(m[0]);
    if (!decoded) continue;
    for (const rule of instructionLike(decoded, options)) {
      hits.push({ start: m.index, end: m.index + m[0].length, rule, prefix: 'base64:' });
    }
  }

  for (const m of text.matchAll(TAG_RUN)) {
    const decoded = [...m[0]]
      .map((ch) => String.fromCodePoint((ch.codePointAt(0) ?? 0xe0000) - 0xe0000))
      .join('');
    const rules = instructionLike(decoded, options);
    const invisible: InjectionRule = {
      id: 'invisible-tags',
      label: 'hides text in invisible Unicode tag characters',
      pattern: /$^/,
    };
    for (const rule of rules.length > 0 ? rules : [invisible]) {
      hits.push({ start: m.index, end: m.index + m[0].length, rule, prefix: 'tags:' });
    }
  }

  return mergeFindings(
    text,
    hits.map((h) => ({ ...widen(text, h.start, h.end), id: `${h.prefix}${h.rule.id}`, label: h.rule.label })),
  );
}

function mergeFindings(
  text: string,
  spans: Array<{ start: number; end: number; id: string; label: string }>,
): InjectionFinding[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: InjectionFinding[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    // Adjacent lines of one injection ("Ignore all previous\ninstructions") become one finding.
    if (last && span.start <= last.end + 1 && /^\s*$/u.test(text.slice(last.end, span.start))) {
      last.end = Math.max(last.end, span.end);
      if (!last.rules.includes(span.id)) last.rules.push(span.id);
      if (!last.labels.includes(span.label)) last.labels.push(span.label);
    } else {
      out.push({ start: span.start, end: span.end, rules: [span.id], labels: [span.label] });
    }
  }
  return out;
}
