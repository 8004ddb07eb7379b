import type { FileLocation } from '../assessment/assessment';
import type { Edit } from './material';

/**
 * A take-home rendered as one text for the model (Vetline's summary of it, then excerpts of the files in blocks),
 * described well enough for the trust work to treat it like a resume's text and still speak in files and lines:
 * where each excerpt sits (so an injection or a quote found at some offset is told as `path:line-line`), a prose
 * view for injection detection, and the edits the rendering itself needs before anyone reads it.
 */
export interface CodeBlock {
  path: string;
  /** Offsets of the excerpt in the rendered text, `[start, end)`: the file's own text, unaltered. */
  start: number;
  end: number;
  /** The file line the excerpt starts on (1-based). */
  lineStart: number;
}

export interface CodeText {
  /** In text order; they never overlap. */
  blocks: readonly CodeBlock[];
  /**
   * The rendered text with Python code blanked to spaces, offset for offset: comments, strings and docstrings kept,
   * docs and configuration kept whole, Vetline's own block markers turned to filler. Injections are looked for here.
   */
  prose: string;
  /** Edits the rendering needs (a line of the candidate's that looks like a block marker, defused). */
  structural: readonly Edit[];
}

/** The block holding `[start, end)` whole, by binary search; `null` when the span is outside every excerpt. */
export function blockAt(code: CodeText, start: number, end: number): CodeBlock | null {
  let lo = 0;
  let hi = code.blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const block = code.blocks[mid] as CodeBlock;
    if (start < block.start) hi = mid - 1;
    else if (start >= block.end) lo = mid + 1;
    else return end <= block.end ? block : null;
  }
  return null;
}

const newlines = (text: string, from: number, to: number): number => {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Where `[start, end)` of the rendered `text` lies in the candidate's files: the file and the lines it covers; `null`
 * when it is not inside one excerpt (Vetline's summary, a block marker, or across two blocks).
 */
export function placeInCode(code: CodeText, text: string, start: number, end: number): FileLocation | null {
  const block = blockAt(code, start, end);
  if (!block) return null;
  const lineStart = block.lineStart + newlines(text, block.start, start);
  // A span that ends with its line's newline ends on that line.
  const last = Math.max(start, end - 1);
  return { file: block.path, lineStart, lineEnd: lineStart + newlines(text, start, last) };
}
