export interface PlainTextResult {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  warnings: string[];
}

/**
 * Decodes a plain text or Markdown resume: UTF-16 when a byte order mark says so, otherwise UTF-8 (its BOM is
 * dropped), and windows-1252 when the bytes are not valid UTF-8, which is what old Windows editors wrote.
 */
export function extractPlainText(bytes: Uint8Array): PlainTextResult {
  const warnings: string[] = [];
  const bom = detectUtf16Bom(bytes);
  const guessed = bom ? null : guessUtf16WithoutBom(bytes);
  if (guessed) warnings.push(`The text has no byte order mark; it was read as ${guessed.toUpperCase()}.`);
  const utf16 = bom ?? guessed;
  let encoding: PlainTextResult['encoding'] = utf16 ?? 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    if (utf16) {
      warnings.push(`The text has invalid ${utf16} sequences; they were replaced with U+FFFD.`);
      text = new TextDecoder(utf16).decode(bytes);
    } else {
      encoding = 'windows-1252';
      warnings.push('The text is not valid UTF-8; it was read as windows-1252.');
      text = decodeWindows1252(bytes);
    }
  }
  return { text: cleanPlainText(text), encoding, warnings };
}

function cleanPlainText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // A soft hyphen in a text file is an invisible break opportunity, not part of a word.
      .replaceAll('\u00ad', '')
      .normalize('NFC')
  );
}

export function detectUtf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 written without a byte order mark (some Windows tools do): ASCII-range text then has a NUL in every other
 * byte, on the odd bytes for little-endian and the even ones for big-endian, and almost none on the other side.
 */
export function guessUtf16WithoutBom(bytes: Uint8Array, sampleBytes = 4096): 'utf-16le' | 'utf-16be' | null {
  const length = Math.min(bytes.length, sampleBytes) & ~1;
  if (length < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = length / 2;
  if (oddZeros >= 0.6 * pairs && evenZeros <= 0.05 * pairs) return 'utf-16le';
  if (evenZeros >= 0.6 * pairs && oddZeros <= 0.05 * pairs) return 'utf-16be';
  return null;
}

/**
 * windows-1252 by hand: Node 20's `TextDecoder('windows-1252')` decodes as ISO-8859-1, so 0x80-0x9F come out as C1
 * controls instead of € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ. The five unassigned bytes stay C1, as
 * the WHATWG Encoding Standard maps them.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    text += String.fromCharCode(...Array.from(chunk, (byte) => WINDOWS_1252_HIGH[byte - 0x80] ?? byte));
  }
  return text;
}

// biome-ignore format: eight to a row, in byte order from 0x80, like a code page chart.
const WINDOWS_1252_HIGH: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];
