import { describe, expect, it } from 'vitest';
import { seniorResumeText } from '../../tests/support/resumes';
import { findCandidateNames } from './find-name';
import { findLeaks } from './leak-check';
import { applyEdits } from './material';
import { findPatternPii } from './pii-patterns';
import { prepareMaterial } from './prepare-material';
import { nameParts, redactionEdits } from './redact';
import { resumePeople } from './resume-people';

const redact = (text: string, name: string | null = null, email: string | null = null) =>
  applyEdits(text, redactionEdits(text, resumePeople(text, { name, email }))).text;
const person = (name: string) => ({ names: [name], emails: [] });

describe('blind-screening redaction', () => {
  it('removes the known name and email, and the pattern kinds, from a real-looking resume', () => {
    const out = redact(seniorResumeText, 'Priya Raman', 'priya@example.com');
    for (const leaked of ['Priya', 'Raman', 'priya@example.com', '7946', 'github.com/priya-example']) {
      expect(out).not.toContain(leaked);
    }
    // Evidence survives: blind screening hides the person, not the work.
    expect(out).toContain(
      'Designed and led an asyncio-based ingestion service handling 40k events per second',
    );
    expect(out).toContain('Staff Engineer, Streamline Logistics (2021–present)');
  });

  it('redacts names and emails with hyphens, apostrophes and markup characters (patterns are built from them)', () => {
    const text =
      "Jean-Luc O'Brien-Picard\nContact: jean-luc.picard@star-fleet.example\nBuilt asyncio services.";
    const out = redact(text, "Jean-Luc O'Brien-Picard", 'jean-luc.picard@star-fleet.example');
    expect(out).not.toMatch(/Jean|Luc|Brien|Picard|star-fleet/);
    expect(out).toContain('Built asyncio services.');
    const hostile = `Mallory <script>x='a-b'</script> (he/him)`;
    expect(() => redact(`${hostile}\nBuilt asyncio services.`, hostile)).not.toThrow();
    expect(redact(`Mallory Smith\nBuilt asyncio services.`, hostile)).not.toContain('Mallory');
  });

  it('takes the name from the form up to the first word that cannot be part of a name', () => {
    expect(nameParts('Ada Lovelace (she/her)')).toEqual(['Ada', 'Lovelace']);
    expect(nameParts("Dr. Jean-Luc O'Brien")).toEqual(['Jean-Luc', "O'Brien"]);
    expect(nameParts(`Mallory <script>window.__xss='name'</script>`)).toEqual(['Mallory']);
    expect(nameParts('José Ñúñez')).toEqual(['José', 'Ñúñez']);
  });

  it('lets a resume with markup in it and in the name field through, with the name redacted', () => {
    const name = `Mallory <script>window.__xss='n'</script><img src=x onerror="window.__xss='n-img'">`;
    const text = `Mallory Jones, Senior Python Engineer\n- Built workers <script>x()</script><img src=x> in asyncio`;
    const result = prepareMaterial({
      text,
      hidden: [],
      candidate: { name, email: null },
      blindScreening: true,
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.prepared.material.text).not.toContain('Mallory');
      expect(result.prepared.material.text).toContain('Built workers');
    }
  });

  it.each([
    ['phone (international)', 'Call +44 20 7946 0000 any time', '[PHONE]'],
    ['phone (US)', 'Phone: (555) 123-4567', '[PHONE]'],
    ['email', 'write to ada.l@example.org', '[EMAIL]'],
    ['obfuscated email', 'ada [at] example [dot] org', '[EMAIL]'],
    ['profile link', 'https://www.linkedin.com/in/ada-l-123', '[PROFILE LINK]'],
    ['street address', 'Lives at 221B Baker Street, London NW1 6XE', '[ADDRESS]'],
    ['address line', 'Address: 12 Rue de Rivoli, Paris', '[ADDRESS]'],
    ['date of birth', 'Date of birth: 12 March 1988', '[DATE OF BIRTH]'],
    ['age', 'Age: 35', '[AGE]'],
    ['age in words', 'a 35 years old engineer', '[AGE]'],
    ['pronouns', 'Ada L. (she/her)', '[GENDER]'],
    ['gender', 'Gender: female', '[GENDER]'],
    ['honorific', 'Mrs. Lovelace', '[GENDER]'],
    ['photo caption', 'Photo: Ada at PyCon 2019', '[PHOTO]'],
    ['marital status', 'Marital status: married', '[PERSONAL DETAIL]'],
    ['nationality', 'Nationality: British', '[PERSONAL DETAIL]'],
  ])('redacts %s', (_kind, text, placeholder) => {
    expect(redact(`Experience\n${text}\n`)).toContain(placeholder);
  });

  it('leaves years, date ranges, figures and decorators alone', () => {
    const text =
      'Experience\nSenior Engineer (2017 - 2021, 2021 - 2023)\n- Served 10,000,000 requests at p99 1200 ms\n- Wrote @dataclass models and @pytest.fixture helpers\n- Ran 40 services on 3 regions';
    expect(redact(text)).toBe(text);
  });

  // A run of email characters with no "@" after it was tried from each of its positions: minutes at this length.
  it('reads emails next to long runs of letters, digits and dots', () => {
    const run = `${'a.'.repeat(25_000)}x`;
    const pii = findPatternPii(`${run} ${run}@example.com ${run} (at) example (dot) com\nwrote ${run}`);
    const emails = pii.filter((h) => h.kind === 'email');
    expect(emails.map((h) => h.start)).toEqual([run.length + 1, 2 * run.length + 14]);
    expect(redact(`Maria Gonzalez\n${run}\nmaria.g@example.com`)).toBe(`[NAME]\n${run}\n[EMAIL]`);
  });

  it('finds names in capitals, letter-spaced headings, possessives and with accents, but not common words', () => {
    const out = redact(
      'J O S É   D O E\nJosé Doe’s team\nJOSE DOE\nDoe will lead.\nI will doe nothing',
      'José Doe',
    );
    expect(out).not.toMatch(/J ?O ?S ?[EÉ]|Jos|D ?O ?E|Doe/u);
    expect(out).toContain('I will doe nothing');
  });

  it('reads the contact header as a name when none was given', () => {
    expect(findCandidateNames('Priya Raman — Senior Backend Engineer\n...')).toEqual(['Priya Raman']);
    expect(findCandidateNames('Senior Backend Engineer\nPriya')).toEqual([]);
    expect(redact('Priya Raman — Senior Backend Engineer\nPriya led the team')).not.toContain('Priya');
  });
});

describe('the leak check', () => {
  it('finds a name hidden from the redactor by homoglyphs or zero-width characters', () => {
    expect(findLeaks('Led by Pr\u0456ya', person('Priya Raman')).map((l) => l.kind)).toContain('name');
    expect(findLeaks('P.R.I.Y.A. R.A.M.A.N. wrote it', person('Priya Raman')).length).toBeGreaterThan(0);
    // Below the top line: there, two lower-case words would read as a name written in lower case.
    expect(findLeaks('[NAME]\ncustomers ashore', person('Tom Ash'))).toEqual([]);
  });

  it('fails closed: nothing is prepared when redaction leaves a detail behind', () => {
    // A Cyrillic "і" slips past the redactor's Latin pattern; the check reads through it. (In the header it would be
    // read as the name it is, and redacted as written.)
    const result = prepareMaterial({
      text: 'Priya Raman\nBuilt Kafka pipelines with Pr\u0456ya’s team',
      hidden: [],
      candidate: { name: 'Priya Raman', email: null },
      blindScreening: true,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('blind_screening_failed');
      expect(result.message).toContain('nothing was sent');
      expect(result.message).not.toContain('Priya');
    }
  });

  it('sends the name when the organisation turned blind screening off', () => {
    const result = prepareMaterial({
      text: 'Priya Raman\nBuilt Kafka pipelines',
      hidden: [],
      candidate: { name: 'Priya Raman', email: null },
      blindScreening: false,
    });
    expect(result.ok && result.prepared.material.text).toContain('Priya Raman');
  });
});
