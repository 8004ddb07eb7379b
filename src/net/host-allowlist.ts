import { isIP } from 'node:net';
import { z } from 'zod';
import { unbracket } from './address-policy';

/**
 * Host patterns a download may reach: an exact host name (`api.lever.co`), a wildcard for the subdomains of one
 * (`*.s3.amazonaws.com`, which does not match `s3.amazonaws.com` itself), or an IP literal (tests use `127.0.0.1`).
 * Matching is on the host name only; the port rule and the address check after DNS resolution apply on top.
 */
export const HostPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(
    (p) =>
      /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(p) ||
      isIP(p) !== 0,
    { message: 'a host name, `*.` followed by a host name, or an IP address' },
  );

export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = unbracket(hostname).toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) {
      const suffix = p.slice(1); // ".s3.amazonaws.com"
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return host === p;
  });
}
