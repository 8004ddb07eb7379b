/**
 * The prose of a file, offset for offset: what a person writes in words. In Python, comments and the contents of
 * string literals and docstrings are kept and everything else (code, and the quotes around strings) becomes spaces,
 * newlines kept; docs, configuration and other files are prose throughout. Injection detection reads this view, so
 * that `model: str` or `{"role": "system"}` in code are not taken for a chat transcript, while an instruction in a
 * comment, a docstring or a string still is. A small lexer, not a parser: it knows comments, the four quote forms
 * and backslash escapes, which is all that decides what is prose.
 */
export function proseView(path: string, content: string): string {
  return /\.py[ix]?$/i.test(path) ? pythonProse(content) : content;
}

const blank = (ch: string): string => (ch === '\n' || ch === '\r' ? ch : ' ');

export function pythonProse(content: string): string {
  const out: string[] = [];
  let i = 0;
  const n = content.length;
  while (i < n) {
    const ch = content[i] as string;
    if (ch === '#') {
      // A comment runs to the end of the line, `#` included.
      const end = content.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out.push(content.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const triple = content.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      out.push(' '.repeat(quote.length));
      i += quote.length;
      while (i < n) {
        const c = content[i] as string;
        if (c === '\\' && i + 1 < n) {
          // An escaped character is part of the string, whatever it is (in raw strings too, the quote stays in).
          out.push(c, content[i + 1] as string);
          i += 2;
          continue;
        }
        if (content.startsWith(quote, i)) {
          out.push(' '.repeat(quote.length));
          i += quote.length;
          break;
        }
        // A single-quoted string cannot span lines: an unterminated one ends at the newline.
        if (!triple && c === '\n') break;
        out.push(c);
        i++;
      }
      continue;
    }
    out.push(blank(ch));
    i++;
  }
  return out.join('');
}
