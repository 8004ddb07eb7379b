import { describe, expect, it } from 'vitest';
import { hmacSha256Hex, signatureMatches } from './signature';

describe('signature comparison', () => {
  const expected = hmacSha256Hex('secret', '{"action":"ping"}');

  it('accepts the same digest in either case and refuses any other', () => {
    expect(signatureMatches(expected, expected)).toBe(true);
    expect(signatureMatches(expected, expected.toUpperCase())).toBe(true);
    const flipped = `${expected.slice(0, -1)}${expected.endsWith('0') ? '1' : '0'}`;
    expect(signatureMatches(expected, flipped)).toBe(false);
    expect(signatureMatches(expected, hmacSha256Hex('other', '{"action":"ping"}'))).toBe(false);
  });

  it('refuses, without throwing, digests of the wrong length or alphabet (timingSafeEqual needs equal lengths)', () => {
    expect(signatureMatches(expected, expected.slice(0, 62))).toBe(false);
    expect(signatureMatches(expected, `${expected}00`)).toBe(false);
    expect(signatureMatches(expected, '')).toBe(false);
    expect(signatureMatches(expected, 'z'.repeat(64))).toBe(false);
  });

  it('matches the vendors’ documented construction: hex HMAC-SHA256', () => {
    // RFC 4231 test case 2.
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
