import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proseView, pythonProse } from './prose-view';

const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('the prose view of a Python file', () => {
  it('keeps comments, docstrings and string contents where they are, and blanks the code around them', () => {
    const code = [
      'import os  # the OS module',
      'def f(model: str) -> None:',
      '    """Fetch the "orders".',
      '',
      '    Args:',
      '        model: the model to call',
      '    """',
      "    x = {'role': 'system', 'content': f\"Hi {model}\"}",
      "    y = r'raw \\' still inside'",
      '    z = "unterminated',
      '    return None',
    ].join('\n');
    const prose = pythonProse(code);
    expect(prose).toHaveLength(code.length);
    const lines = prose.split('\n');
    expect(lines).toHaveLength(code.split('\n').length);
    expect(squeeze(lines[0] ?? '')).toBe('# the OS module');
    expect(squeeze(lines[1] ?? '')).toBe('');
    expect(squeeze(lines[2] ?? '')).toBe('Fetch the "orders".');
    expect(squeeze(lines[5] ?? '')).toBe('model: the model to call');
    expect(squeeze(lines[7] ?? '')).toBe('role system content Hi {model}');
    expect(squeeze(lines[8] ?? '')).toBe("raw \\' still inside");
    // An unterminated string ends at its line: the next line is code again.
    expect(squeeze(lines[9] ?? '')).toBe('unterminated');
    expect(squeeze(lines[10] ?? '')).toBe('');
  });

  it('keeps every character where it was, for any input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\n', '#', '"', "'", '\\', 'x', '=') }),
        (text) => {
          const prose = pythonProse(text);
          expect(prose).toHaveLength(text.length);
          for (let i = 0; i < text.length; i++) {
            if (text[i] === '\n') expect(prose[i]).toBe('\n');
            else expect(prose[i] === text[i] || prose[i] === ' ').toBe(true);
          }
        },
      ),
    );
  });

  it('reads docs and configuration as prose throughout', () => {
    const readme = '# Notes\nmodel: gpt-4o\n';
    expect(proseView('README.md', readme)).toBe(readme);
    expect(proseView('pyproject.toml', 'name = "x"\n')).toBe('name = "x"\n');
    expect(proseView('app/main.py', 'x = 1\n')).toBe('     \n');
    expect(proseView('app/fast.pyx', 'x = 1\n')).toBe('     \n');
  });
});
