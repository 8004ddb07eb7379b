import { describe, expect, it } from 'vitest';
import { findCandidateNames } from './find-name';
import { findLeaks } from './leak-check';
import { prepareMaterial } from './prepare-material';
import { resumePeople } from './resume-people';

const BODY =
  '\n\nExperience\nBuilt Django services at Acme for five years. Led a team of four engineers.\nSkills\nPython, Django\n';
const blind = (text: string, name: string | null = null, email: string | null = null) =>
  prepareMaterial({ text, hidden: [], candidate: { name, email }, blindScreening: true });
const sent = (text: string, name: string | null = null): string => {
  const prepared = blind(text, name);
  if (!prepared.ok) throw new Error(prepared.message);
  return prepared.prepared.material.text;
};

describe('the names blind screening believes', () => {
  it('finds a name written in lower case on the top line, and redacts it', () => {
    expect(findCandidateNames(`maria gonzalez${BODY}`)).toEqual(['maria gonzalez']);
    expect(findCandidateNames(`maria de la cruz gonzalez | Berlin${BODY}`)).toEqual([
      'maria de la cruz gonzalez',
    ]);
    expect(findCandidateNames(`senior python engineer${BODY}`)).toEqual([]);
    // Lower in the header, two lower-case words are no name.
    expect(findCandidateNames(`Maria Gonzalez\nberlin germany${BODY}`)).toEqual(['Maria Gonzalez']);
    const text = sent(`maria gonzalez\nBerlin Germany\nmaria.g@example.com${BODY}`);
    expect(text.toLowerCase()).not.toContain('maria');
    expect(text.startsWith('[NAME]\n')).toBe(true);
  });

  it('redacts the whole name in any case wherever it appears', () => {
    const text = sent(`Maria Gonzalez${BODY}Reference: ask for MARIA GONZALEZ or maria  gonzalez.\n`);
    expect(text.toLowerCase()).not.toContain('gonzalez');
    // A part alone in lower case is a word, not the name.
    expect(sent(`Will Rose${BODY}A rose by any other name will smell as sweet.\n`)).toContain('rose by');
  });

  it('fails closed when no name was given and the header names no one credibly', () => {
    for (const text of [
      `Senior Python Engineer\nBerlin Germany${BODY}\nThanks, Maria Gonzalez`,
      `Senior Python Engineer\nMaria Gonzalez\npriya.raman@example.com${BODY}`,
    ]) {
      const prepared = blind(text);
      expect(prepared.ok, text).toBe(false);
      if (!prepared.ok) expect(prepared.code).toBe('blind_screening_failed');
      expect(resumePeople(text, { name: null, email: null }).names).toEqual([]);
    }
  });

  it('believes a header name below the top line when an email spells it, and a label anywhere', () => {
    for (const local of ['maria.gonzalez', 'gonzalez_maria', 'mgonzalez', 'MariaGonzalez85']) {
      const text = sent(`Senior Python Engineer\nMaria Gonzalez\n${local}@example.com${BODY}`);
      expect(text, local).not.toContain('Gonzalez');
    }
    expect(
      resumePeople(`Senior Engineer\nBerlin Germany${BODY}`, { name: null, email: 'maria.gonzalez@x.io' }),
    ).toEqual({ names: [], emails: ['maria.gonzalez@x.io'] });
    expect(
      resumePeople(`Senior Engineer\nMaria Gonzalez${BODY}`, { name: null, email: 'maria.gonzalez@x.io' })
        .names,
    ).toEqual(['Maria Gonzalez']);
    expect(sent(`Senior Python Engineer${BODY}Name: Maria Gonzalez\n`)).not.toContain('Gonzalez');
  });

  it('keeps every sighting when the upload gave the name', () => {
    const text = sent(
      `Senior Python Engineer\nBerlin Germany${BODY}\nThanks, Maria Gonzalez`,
      'Maria Gonzalez',
    );
    expect(text).not.toContain('Gonzalez');
    expect(text).not.toContain('Berlin');
  });

  it('the leak check sees a name written in lower case on the top line', () => {
    expect(findLeaks(`maria gonzalez\n[NAME]${BODY}`, { names: ['Berlin Germany'], emails: [] })).toEqual([
      { kind: 'name', at: 0 },
    ]);
  });
});
