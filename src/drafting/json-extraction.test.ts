import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedObjects, extractJsonObjects } from './json-extraction';

// Pure text handling: no network involved. The wire-level cases (the same wrappers arriving through the SDK from
// a server) are in openai-drafter-compat.test.ts.
const draft = {
  summary: 'Uses {braces} and "quotes" and a \\ backslash in strings',
  nested: { list: [1, { deep: '}' }], text: '</think> inside a quote' },
};
const text = JSON.stringify(draft);
const values = (answer: string) => extractJsonObjects(answer).candidates.map((c) => c.value);

describe('extractJsonObjects', () => {
  it('takes a bare object as is, nothing removed', () => {
    expect(extractJsonObjects(text).candidates).toEqual([{ value: draft, wrapping: [] }]);
  });

  it('keeps an object whose strings contain a closing reasoning tag, bare or after prose', () => {
    expect(values(`  ${text}\n`)).toEqual([draft]);
    expect(values(`Here you go: ${text}`)).toContainEqual(draft);
  });

  it('unwraps a Markdown code fence, with or without a language and with prose around it', () => {
    expect(extractJsonObjects(`\`\`\`json\n${text}\n\`\`\``).candidates[0]).toEqual({
      value: draft,
      wrapping: ['code_fence'],
    });
    expect(
      extractJsonObjects(`Sure! Here it is:\n\`\`\`\n${text}\n\`\`\`\nAnything else?`).candidates[0],
    ).toEqual({
      value: draft,
      wrapping: ['code_fence', 'surrounding_text'],
    });
  });

  it('finds the object inside prose that has braces of its own', () => {
    const found = extractJsonObjects(
      `Mapping each {competency} first. { unbalanced\n${text}\nHope {this} helps.`,
    );
    expect(found.candidates[0]).toEqual({ value: draft, wrapping: ['surrounding_text'] });
  });

  it('removes a leading byte-order mark and a <think> block whose reasoning contains braces', () => {
    const found = extractJsonObjects(`\uFEFF<think>\nPlan: {"level": 3} for async.\n</think>\n\n${text}`);
    expect(found.candidates).toEqual([{ value: draft, wrapping: ['bom', 'reasoning'] }]);
  });

  it('removes reasoning that has only the closing tag (the template opened it)', () => {
    const found = extractJsonObjects(`The candidate shows {"level": 2}.\n</think>\n${text}`);
    expect(found.candidates[0]).toEqual({ value: draft, wrapping: ['reasoning'] });
  });

  it('says so when the answer is an unfinished reasoning block', () => {
    const found = extractJsonObjects(`<think>\nStill weighing {"level": 2} against`);
    expect(found.unfinishedReasoning).toBe(true);
    expect(found.candidates).toEqual([]);
  });

  it('offers every top-level object in order, never a nested one alone, and ignores arrays', () => {
    const answer = `Example: {"level": 3}. Answer: ${text} [1, 2]`;
    expect(values(answer)).toEqual([{ level: 3 }, draft]);
    expect([...balancedObjects('{"a": {"b": 1}} {"c": 2}')]).toEqual([{ a: { b: 1 } }, { c: 2 }]);
  });

  it('finds nothing in text without an object, and does not loop on a flood of braces', () => {
    expect(values('no json here')).toEqual([]);
    expect(values('{'.repeat(50_000))).toEqual([]);
    expect(values(`${'{ '.repeat(100)}${text}`)).toEqual([]);
  });

  it('recovers any object from any mix of the wrappers models add', () => {
    const json = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      { minKeys: 1 },
    );
    const prose = fc.string().filter((s) => !s.includes('{') && !s.includes('<') && !s.includes('`'));
    fc.assert(
      fc.property(
        json,
        prose,
        prose,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (value, before, after, fence, think, bom) => {
          let answer = JSON.stringify(value, null, 2);
          if (fence) answer = `\`\`\`json\n${answer}\n\`\`\``;
          answer = `${before.trim() === '' ? '' : `${before}\n`}${answer}${after.trim() === '' ? '' : `\n${after}`}`;
          if (think) answer = `<think>\nI will answer {carefully}.\n</think>\n${answer}`;
          if (bom) answer = `\uFEFF${answer}`;
          expect(values(answer)[0]).toEqual(value);
        },
      ),
      { numRuns: 300 },
    );
  });
});
