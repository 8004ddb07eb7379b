/**
 * Just enough Python structure for static signals, read line by line without running or fully parsing the code:
 * function signatures (with their annotations), the bodies of `async def` functions, and imports. Comments and blank
 * lines are skipped; a `def` inside a docstring can fool it, which is fine for counting.
 */

export interface Parameter {
  name: string;
  annotated: boolean;
}

export interface FunctionSignature {
  /** 0-based index of the `def` line. */
  line: number;
  name: string;
  isAsync: boolean;
  indent: number;
  /** Parameters other than `self`, `cls` and the bare `*` and `/` markers. */
  params: Parameter[];
  returns: boolean;
  /** 0-based index of the line that ends the signature (the colon). */
  end: number;
}

const DEF = /^(\s*)(async\s+)?def\s+([A-Za-z_]\w*)\s*\(/;

export const indentOf = (line: string): number => line.length - line.trimStart().length;

export function functionSignatures(lines: readonly string[]): FunctionSignature[] {
  const out: FunctionSignature[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = DEF.exec(lines[i] ?? '');
    if (!match) continue;
    // Join lines until the parentheses balance and the signature's colon is reached.
    let text = (lines[i] ?? '').slice((match.index ?? 0) + match[0].length);
    let depth = 1;
    let end = i;
    let params = '';
    let rest = '';
    for (let guard = 0; guard < 60; guard++) {
      let k = 0;
      for (; k < text.length && depth > 0; k++) {
        const ch = text[k];
        if (ch === '(' || ch === '[' || ch === '{') depth++;
        else if (ch === ')' || ch === ']' || ch === '}') depth--;
        if (depth > 0) params += ch;
      }
      if (depth === 0) {
        rest = text.slice(k);
        break;
      }
      params += ' ';
      end++;
      if (end >= lines.length) break;
      text = lines[end] ?? '';
    }
    out.push({
      line: i,
      name: match[3] ?? '',
      isAsync: Boolean(match[2]),
      indent: (match[1] ?? '').length,
      params: splitParams(params),
      returns: /^\s*->/.test(rest),
      end,
    });
  }
  return out;
}

function splitParams(text: string): Parameter[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== '*' && p !== '/')
    .map((p) => {
      const name = (/^\*{0,2}\s*([A-Za-z_]\w*)/.exec(p)?.[1] ?? p).trim();
      const beforeDefault = p.split('=')[0] ?? p;
      return { name, annotated: beforeDefault.includes(':') };
    })
    .filter((p) => p.name !== 'self' && p.name !== 'cls');
}

/** Whether every parameter and the return are annotated (`__init__` may leave out `-> None`). */
export const fullyAnnotated = (f: FunctionSignature): boolean =>
  f.params.every((p) => p.annotated) && (f.returns || (f.name === '__init__' && f.params.length > 0));

export const partlyAnnotated = (f: FunctionSignature): boolean =>
  !fullyAnnotated(f) && (f.returns || f.params.some((p) => p.annotated));

/** Line ranges `[start, end)` of each function's body: the lines indented under it. */
export function bodyOf(lines: readonly string[], f: FunctionSignature): [number, number] {
  let end = f.end + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (indentOf(line) <= f.indent) break;
  }
  return [f.end + 1, end];
}

/** Modules a file imports, as dotted names; relative imports are resolved against `modulePath` (`pkg/mod.py`). */
export function importsOf(lines: readonly string[], modulePath: string): string[] {
  const pkg = modulePath.split('/').slice(0, -1);
  const out = new Set<string>();
  for (const line of lines) {
    const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(line);
    if (from) {
      const dots = (from[1] ?? '').length;
      const base =
        dots > 0
          ? [...pkg.slice(0, pkg.length - (dots - 1)), ...(from[2] ? [from[2]] : [])].join('.')
          : from[2];
      if (!base) continue;
      out.add(base);
      // `from pkg import module` names a module too.
      for (const name of (from[3] ?? '').replace(/[()]/g, '').split(',')) {
        const clean = name
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim();
        if (clean && /^\w+$/.test(clean)) out.add(`${base}.${clean}`);
      }
      continue;
    }
    const plain = /^\s*import\s+(.+)$/.exec(line);
    if (plain) {
      for (const name of (plain[1] ?? '').split(',')) {
        const clean = name
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim();
        if (clean && /^[\w.]+$/.test(clean)) out.add(clean);
      }
    }
  }
  return [...out];
}
