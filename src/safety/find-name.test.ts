import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusResumes, repoRoot, seniorResumeText } from '../../tests/support/resumes';
import { extractDocument } from '../extraction/extract';
import { findCandidateNames } from './find-name';
import { findLeaks } from './leak-check';
import { prepareMaterial } from './prepare-material';

const BODY = '\nSenior Python Engineer\n\nExperience\nBuilt asyncio services at Acme for five years.\n';
const namesUnder = (header: string) => findCandidateNames(`${header}${BODY}`);
const blind = (text: string) =>
  prepareMaterial({ text, hidden: [], candidate: { name: null, email: null }, blindScreening: true });

describe('the name finder', () => {
  it.each([
    ['Curriculum Vitae\nMaria Gonzalez', 'Maria Gonzalez'],
    ['MARIA GONZALEZ', 'MARIA GONZALEZ'],
    ['Maria Gonzalez | Berlin', 'Maria Gonzalez'],
    ['Maria de la Cruz Gonzalez Ruiz', 'Maria de la Cruz Gonzalez Ruiz'],
    ['Maria de los Santos', 'Maria de los Santos'],
    ['Juan de las Heras Ortega', 'Juan de las Heras Ortega'],
    ['Name: Maria Gonzalez', 'Maria Gonzalez'],
    ['Dr. Jane Doe, PhD', 'Jane Doe'],
    ['jane@example.com | Jane Doe', 'Jane Doe'],
    ["Jane Doe's Resume", 'Jane Doe'],
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    // Surnames that are also places, skills or titles: names on the top line.
    ['Adam West', 'Adam West'],
    ['Ellen Page', 'Ellen Page'],
    ['Diane Lane', 'Diane Lane'],
    ['Ruby Chen', 'Ruby Chen'],
    // A one-word name in a script without case.
    ['李小龙', '李小龙'],
  ])('finds the name in %j', (header, name) => {
    expect(namesUnder(header)).toContain(name);
  });

  it('reads a street address and a title as no name', () => {
    expect(namesUnder('Tom Hardy\n555 La Verne Way, La Verne, CA')).toEqual(['Tom Hardy']);
    expect(namesUnder('North West')).toEqual([]);
    // Off the top line, "West" is a place again.
    expect(namesUnder('Jane Doe\nKey West')).toEqual(['Jane Doe']);
    expect(namesUnder('Lead Python Engineer')).toEqual([]);
    expect(namesUnder('简历')).toEqual([]);
  });

  it('finds the writer of every real resume in the corpus, the eval set and the fixtures: none fails closed', async () => {
    const texts: Array<[string, string]> = [['senior-resume.txt', seniorResumeText]];
    for (const { name, bytes } of corpusResumes()) texts.push([name, (await extractDocument(bytes)).text]);
    const evalDir = path.join(repoRoot, 'eval/resumes');
    for (const file of readdirSync(evalDir))
      texts.push([file, readFileSync(path.join(evalDir, file), 'utf8')]);
    expect(texts.length).toBeGreaterThan(10);
    for (const [file, text] of texts) {
      const names = findCandidateNames(text);
      expect(names.length, file).toBeGreaterThan(0);
      const firstLine = text.split('\n').find((l) => /\p{L}/u.test(l)) ?? '';
      // The header's name is found and removed from the top line; the body's sightings of it go too.
      expect(firstLine, file).toContain(names[0]);
      const prepared = blind(text);
      expect(prepared.ok, file).toBe(true);
      if (prepared.ok) expect(prepared.prepared.material.text, file).not.toContain(names[0]);
    }
  });

  it('takes only the name from the corpus headers: a town in the address is not redacted as one', async () => {
    const laverne = corpusResumes().find((r) => r.name === 'laverne-resume.pdf');
    expect(laverne).toBeDefined();
    const text = (await extractDocument(laverne?.bytes ?? new Uint8Array())).text;
    expect(findCandidateNames(text)).toEqual(['Leo Leopard']);
    const prepared = blind(text);
    expect(prepared.ok && prepared.prepared.material.text).toContain('University of La Verne');
  });

  // Runs of spaces, tabs or punctuation that a backtracking pattern reads in quadratic (or worse) time: at these
  // lengths that would be minutes to hours, so the test times out rather than passing slowly.
  it('reads lines with long runs of spaces, tabs and punctuation', () => {
    const n = 20_000;
    const gaps = ['\t', ' ', '*', ')', '.', ','];
    for (const gap of gaps) {
      const run = gap.repeat(n);
      expect(namesUnder(`Maria Gonzalez\n${run}x`), JSON.stringify(gap)).toEqual(['Maria Gonzalez']);
      expect(namesUnder(`a${run}b`), JSON.stringify(gap)).toEqual([]);
      expect(namesUnder(`Maria${run}x Gonzalez`), JSON.stringify(gap)).toEqual([]);
      expect(namesUnder(`Name: a${run}b`), JSON.stringify(gap)).toEqual([]);
    }
    expect(namesUnder(`Maria Gonzalez${' '.repeat(n)}`)).toEqual(['Maria Gonzalez']);
    expect(namesUnder(`Maria Gonzalez${'\t'.repeat(n)}-${' '.repeat(n)}Resume`)).toEqual(['Maria Gonzalez']);
    expect(namesUnder(`Jane Doe${' '.repeat(n)}'s${' '.repeat(n)}x`)).toEqual(['Jane Doe']);
    expect(namesUnder(`A${'\u0301'.repeat(n)}1 Gonzalez`)).toEqual([]);
    // The leak check reads the sent text with the same finder.
    expect(findLeaks(`[NAME]\na${'\t'.repeat(n)}b\n`, { names: ['Maria Gonzalez'], emails: [] })).toEqual([]);
    expect(findLeaks(`Note${'\t'.repeat(n)}\nMaria Gonzalez\n`, { names: [], emails: [] })).toHaveLength(1);
  });
});
