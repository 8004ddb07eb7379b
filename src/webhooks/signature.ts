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

/** Greenhouse and Ashby: a hex HMAC of the raw body, checked on exactly the bytes that arrived. */
export function verifyBodySignature(secret: string, raw: Uint8Array, providedHex: string): Authentication {
  return signatureMatches(hmacSha256Hex(secret, raw), providedHex)
    ? { ok: true }
    : {
        ok: false,
        status: 401,
        code: 'signature_invalid',
        message: 'The signature does not match the body.',
      };
}
