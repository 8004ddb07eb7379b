import type { EditKind } from './material';

/**
 * Pattern-based personal details for blind screening: what identifies a person or stands in for a protected
 * characteristic, without being evidence of a skill. Used twice: by the redactor on the original text, and by the
 * leak check on the text about to be sent.
 */
export interface PiiHit {
  kind: Exclude<EditKind, 'injection' | 'invisible' | 'markup'>;
  start: number;
  end: number;
}

/**
 * The local part starts where its run of characters starts (the lookbehind): the leftmost match starts there anyway,
 * and without it a long run with no "@" after it is tried from every position in it, which is quadratic.
 */
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** "priya [at] example [dot] com", "priya (at) example.com". */
const OBFUSCATED_EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+\s*[[({]\s*at\s*[\])}]\s*[\p{L}\p{N}-]+(?:\s*(?:[[({]\s*dot\s*[\])}]|\.)\s*[\p{L}\p{N}-]+)+/giu;

const PROFILE_HOSTS = [
  String.raw`linkedin\.com/(?:in|pub|profile)/`,
  String.raw`(?:github|gitlab)\.com/`,
  String.raw`bitbucket\.org/`,
  String.raw`(?:twitter|x|facebook|instagram|threads|tiktok|youtube)\.com/`,
  String.raw`medium\.com/`,
  String.raw`dev\.to/`,
  String.raw`stackoverflow\.com/users/`,
  String.raw`(?:kaggle|leetcode|hackerrank|codewars|wellfound|angel)\.(?:com|co)/`,
  String.raw`(?:behance\.net|dribbble\.com|about\.me|t\.me|codepen\.io|keybase\.io|huggingface\.co|bsky\.app/profile|gist\.github\.com)/`,
];
const PROFILE_LINK = new RegExp(
  String.raw`(?:https?://)?(?:www\.|[a-z]{2}\.)?(?:${PROFILE_HOSTS.join('|')})[^\s)\]>,;|"']+`,
  'giu',
);
const ANY_URL =
  /\b(?:https?:\/\/|www\.)[^\s)\]>,;|"']+|\b[\p{L}\p{N}-]+\.(?:dev|io|me|com|net|org|page|site|blog|xyz|co\.uk|ai)(?:\/[^\s)\]>,;|"']*)?/giu;

const PHONE_CANDIDATE = /(?:\+|\b00)?\(?\d[\d\s().\-\u2010-\u2013]{6,20}\d\b/g;
const PHONE_LABEL = /\b(?:tel|phone|mobile|mob|cell|ph|telephone|whatsapp|t|m)\.?\s*[:.]?\s*$/iu;
const YEAR_RANGE = /\b(?:19|20)\d{2}\s*[-\u2013\u2014]\s*(?:(?:19|20)\d{2}|\d{2})\b/;

const DOB =
  /\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on|\s+in)?)\s*[:\-\u2013]?\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}(?:st|nd|rd|th)?\s+\p{L}{3,9}\.?,?\s+\d{4}|\p{L}{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|(?:19|20)\d{2})/giu;
const PLACE_OF_BIRTH = /\b(?:place\s+of\s+birth|birthplace)\s*[:\-\u2013]\s*[^\n]{1,60}/giu;
const AGE =
  /\b(?:age|aged)\s*[:\-\u2013]?\s*\d{1,2}\b|\b\d{1,2}\s*(?:years?|yrs?|y\.?\s?o\.?)[\s-]*old\b|\(\s*\d{2}\s*(?:y\.?o\.?|yrs?)\s*\)/giu;
const GENDER =
  /\b(?:gender|sex)\s*[:\-\u2013]\s*[\p{L}-]+|\(?\b(?:she\/her(?:\/hers)?|he\/him(?:\/his)?|they\/them(?:\/theirs)?|she\/they|he\/they|xe\/xem|ze\/hir)\b\)?/giu;
/** Honorifics before a capitalised word: case matters ("Ms" the title, not "ms" the unit). */
const HONORIFIC = /\b(?:Mr|Mrs|Ms|Miss|Mx)\b\.?(?=\s+\p{Lu})/gu;
const PERSONAL_DETAIL =
  /\b(?:marital\s+status|nationality|citizenship|religion|ethnicity|race|family\s+status|children|dependants|national\s+insurance(?:\s+number)?|ssn|social\s+security(?:\s+number)?|passport(?:\s+(?:no\.?|number))?|driver'?s\s+licen[cs]e|visa\s+status|health|disability)\s*[:\-\u2013]\s*[^\n]{1,60}/giu;
const PHOTO_LINE =
  /^[ \t]*[[(]?(?:photo|photograph|picture|image|headshot|portrait|profile\s+(?:photo|picture|image))\b[^\n]{0,120}$/gimu;
const PHOTO_TOKEN = /\[(?:photo|picture|image|headshot|portrait)[^\]\n]{0,60}\]/giu;
const ADDRESS_LINE =
  /^[ \t]*(?:home\s+)?(?:address|addr\.?|residence|location|lives\s+in)\s*[:\-\u2013][^\n]{1,120}$/gimu;
const STREET =
  /\b\d{1,5}[A-Za-z]?,?\s+(?:[\p{Lu}][\p{L}'-]+\s+){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews|Strasse|Straße)\b\.?(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\.?\s*[\w-]+)?(?:,\s*[\p{Lu}][\p{L} .'-]{1,30}){0,2}(?:,?\s+[A-Z]{2})?(?:\s+\d{5}(?:-\d{4})?)?/gu;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b/g;
const US_STATE_ZIP = /\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/g;

function collect(text: string, re: RegExp, kind: PiiHit['kind'], out: PiiHit[]): void {
  for (const m of text.matchAll(re)) {
    if (m[0].trim().length === 0) continue;
    out.push({ kind, start: m.index, end: m.index + m[0].trimEnd().length });
  }
}

function phones(text: string, out: PiiHit[]): void {
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const raw = m[0];
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 15) continue;
    if (YEAR_RANGE.test(raw)) continue;
    const labelled = PHONE_LABEL.test(text.slice(Math.max(0, m.index - 12), m.index));
    const international = raw.startsWith('+') || raw.startsWith('00');
    const grouped =
      /^\(?\d{2,5}\)?[\s.\-\u2010-\u2013]\d{2,4}[\s.\-\u2010-\u2013]\d{3,4}(?:[\s.\-\u2010-\u2013]\d{2,4})?$/.test(
        raw,
      );
    const compact = /^0\d{9,10}$/.test(raw);
    if (labelled || international || grouped || compact) {
      out.push({ kind: 'phone', start: m.index, end: m.index + raw.length });
    }
  }
}

/** The first lines of a resume are its contact header: a bare domain there is a personal site. */
const HEADER_LINES = 8;

function headerEnd(text: string): number {
  let seen = 0;
  let at = 0;
  for (const line of text.split('\n')) {
    at += line.length + 1;
    if (line.trim() !== '' && ++seen >= HEADER_LINES) break;
  }
  return Math.min(at, text.length);
}

/**
 * The contact details that identify a person wherever they appear: emails (plain or spelled out) and links to
 * personal profiles. What blind screening looks for in code, where the other patterns (phones, ages, "gender:")
 * would read identifiers and numbers as people.
 */
export function findContactPii(text: string): PiiHit[] {
  const out: PiiHit[] = [];
  collect(text, EMAIL, 'email', out);
  collect(text, OBFUSCATED_EMAIL, 'email', out);
  collect(text, PROFILE_LINK, 'profile_link', out);
  return out;
}

export function findPatternPii(text: string): PiiHit[] {
  const out: PiiHit[] = [];
  collect(text, EMAIL, 'email', out);
  collect(text, OBFUSCATED_EMAIL, 'email', out);
  collect(text, PROFILE_LINK, 'profile_link', out);
  const header = headerEnd(text);
  for (const m of text.matchAll(ANY_URL)) {
    if (m.index < header) out.push({ kind: 'profile_link', start: m.index, end: m.index + m[0].length });
  }
  phones(text, out);
  collect(text, DOB, 'date_of_birth', out);
  collect(text, PLACE_OF_BIRTH, 'date_of_birth', out);
  collect(text, AGE, 'age', out);
  collect(text, GENDER, 'gender', out);
  collect(text, HONORIFIC, 'gender', out);
  collect(text, PERSONAL_DETAIL, 'personal_detail', out);
  collect(text, PHOTO_LINE, 'photo', out);
  collect(text, PHOTO_TOKEN, 'photo', out);
  collect(text, ADDRESS_LINE, 'address', out);
  collect(text, STREET, 'address', out);
  collect(text, UK_POSTCODE, 'address', out);
  collect(text, US_STATE_ZIP, 'address', out);
  return out;
}
