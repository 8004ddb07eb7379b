/**
 * The material a drafter sees: the candidate's visible text with edits applied (personal details replaced by
 * placeholders, instruction-like spans neutralised, invisible characters stripped), and the way back from any
 * offset in it to the original text, so that a quote found in the material highlights the right words in the
 * resume the reviewer reads.
 */
export type EditKind =
  | 'name'
  | 'email'
  | 'phone'
  | 'address'
  | 'profile_link'
  | 'date_of_birth'
  | 'age'
  | 'photo'
  | 'gender'
  | 'personal_detail'
  | 'injection'
  | 'invisible'
  /** A take-home line that looks like one of the rendering's block markers, defused (see code-text.ts). */
  | 'markup';

export interface Edit {
  kind: EditKind;
  /** Offsets in the original text, `[start, end)`. */
  start: number;
  end: number;
  replacement: string;
}

/** An edit as applied: where it sits in the original and in the material. */
export interface AppliedEdit extends Edit {
  materialStart: number;
  materialEnd: number;
}

export interface Material {
  original: string;
  text: string;
  edits: AppliedEdit[];
}

/** Kinds in the order they win when two edits overlap: an injection span swallows anything inside it. */
const PRECEDENCE: EditKind[] = [
  'injection',
  'email',
  'profile_link',
  'date_of_birth',
  'address',
  'phone',
  'photo',
  'personal_detail',
  'name',
  'gender',
  'age',
  'invisible',
  'markup',
];

/**
 * Applies edits to `original`. Overlapping edits are merged into one span, which takes the replacement of the kind
 * with the highest precedence (so a name inside an injection span disappears with the injection).
 */
export function applyEdits(original: string, edits: readonly Edit[]): Material {
  const sorted = edits
    .filter((e) => e.end > e.start && e.start >= 0 && e.end <= original.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Edit[] = [];
  for (const edit of sorted) {
    const last = merged[merged.length - 1];
    if (last && edit.start < last.end) {
      const winner = PRECEDENCE.indexOf(edit.kind) < PRECEDENCE.indexOf(last.kind) ? edit : last;
      merged[merged.length - 1] = {
        kind: winner.kind,
        replacement: winner.replacement,
        start: last.start,
        end: Math.max(last.end, edit.end),
      };
    } else {
      merged.push({ ...edit });
    }
  }
  const parts: string[] = [];
  const applied: AppliedEdit[] = [];
  let cursor = 0;
  let length = 0;
  for (const edit of merged) {
    const kept = original.slice(cursor, edit.start);
    parts.push(kept, edit.replacement);
    length += kept.length;
    applied.push({ ...edit, materialStart: length, materialEnd: length + edit.replacement.length });
    length += edit.replacement.length;
    cursor = edit.end;
  }
  parts.push(original.slice(cursor));
  return { original, text: parts.join(''), edits: applied };
}

/** The material unchanged: for drafts without blind screening and without anything to neutralise. */
export const untouched = (original: string): Material => ({ original, text: original, edits: [] });

/**
 * Maps material offsets `[start, end)` back to the original text. A boundary inside a placeholder widens to the
 * whole redacted span, so the reviewer sees what the placeholder stood for.
 */
export function toOriginal(material: Material, start: number, end: number): { start: number; end: number } {
  const from = pointToOriginal(material, start, 'start');
  // An empty span at a removed character would map to an inverted one; it stays empty.
  return { start: from, end: Math.max(from, pointToOriginal(material, end, 'end')) };
}

function pointToOriginal(material: Material, at: number, side: 'start' | 'end'): number {
  let shift = 0;
  for (const edit of material.edits) {
    if (at < edit.materialStart) break;
    // Kept text that ends exactly where an edit begins ends before it in the original too.
    if (at === edit.materialStart && side === 'end') break;
    if (at < edit.materialEnd) return side === 'start' ? edit.start : edit.end;
    shift = edit.end - edit.materialEnd;
  }
  return at + shift;
}

/** The applied edits that `[start, end)` of the material overlaps (or touches from inside). */
export function editsWithin(material: Material, start: number, end: number): AppliedEdit[] {
  return material.edits.filter((e) => e.materialStart < end && e.materialEnd > start);
}
