import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Authentication } from './vendor';

/** Hex HMAC-SHA256 of `message` with `secret`: what all three vendors sign with. */
export const hmacSha256Hex = (secret: string, message: string | Uint8Array): string =>
  createHmac('sha256', secret).update(message).digest('hex');

const hexDigest = /^[0-9a-f]{64}$/i;

/**
 * Compares a signature someone sent with the one we computed, in constant time. Both are decoded to 32-byte buffers
 * first, so `timingSafeEqual` always sees equal lengths; anything that is not 64 hex digits is simply unequal.
 */
export function signatureMatches(expectedHex: string, providedHex: string): boolean {
  if (!hexDigest.test(providedHex) || !hexDigest.test(expectedHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(providedHex, 'hex'));
}

/** How a vendor writes its signature header: a pattern whose one group is the hex digest, and how to say it. */
export interface SignatureHeader {
  pattern: RegExp;
  /** For the 401 when the header is missing or malformed, e.g. "`Signature: sha256 <hex>`". */
  shape: string;
}

/**
 * Greenhouse and Ashby: a hex HMAC of the raw body, sent in a header of the vendor's shape, checked on exactly the
 * bytes that arrived. No secret configured refuses like a missing header: nothing can be verified.
 */
export function verifyBodySignature(
  secret: string | null,
  raw: Uint8Array,
  header: string | null,
  format: SignatureHeader,
): Authentication {
  const match = format.pattern.exec((header ?? '').trim());
  if (!secret || !match?.[1]) {
    return {
      ok: false,
      status: 401,
      code: header ? 'signature_invalid' : 'signature_missing',
      message: `A signature header is required: ${format.shape}.`,
    };
  }
  return signatureMatches(hmacSha256Hex(secret, raw), match[1])
    ? { ok: true }
    : {
        ok: false,
        status: 401,
        code: 'signature_invalid',
        message: 'The signature does not match the body.',
      };
}
