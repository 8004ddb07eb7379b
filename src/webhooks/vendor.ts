import { z } from 'zod';
import type { Config } from '../core/config';
import { sha256Hex } from '../core/hash';
import type { Integration, Vendor } from '../integrations/integration';
import type { GuardedHttp } from '../net/guarded-http';
import { CandidateFields } from '../screening/screening';

/**
 * What each vendor module provides: how to authenticate a delivery (on the raw bytes it arrived as), how to read it
 * (zod against the vendor's documented shape), and how to get the resume it refers to. The shared flow around them
 * (dedupe, intake, status codes) is in `process-delivery.ts`.
 */
export interface WebhookRequest {
  /** The body exactly as received: signatures are checked on these bytes, never on a re-serialisation. */
  raw: Uint8Array;
  text: string;
  header(name: string): string | undefined;
}

export type Authentication =
  | { ok: true; replayToken?: string }
  | { ok: false; status: 400 | 401; code: string; message: string };

export type ParsedDelivery =
  | { kind: 'ping'; event: string }
  | { kind: 'ignored'; event: string; deliveryId: string }
  | {
      kind: 'application';
      event: string;
      deliveryId: string;
      applicationId: string;
      /** Update events only retry applications we have seen; they never start a screening of their own. */
      onlyIfSeen: boolean;
      candidate: CandidateFields;
      resume: unknown;
    };

export type ParseResult =
  | { ok: true; delivery: ParsedDelivery }
  | { ok: false; deliveryId: string; event: string; message: string };

export interface FetchContext {
  integration: Integration;
  http: GuardedHttp;
  maxBytes: number;
}

export interface FetchedResume {
  bytes: Uint8Array;
  filename: string;
  /**
   * Who the resume is from, when the webhook did not say and the vendor's API did (Lever): blind screening removes
   * this name and email besides the ones the resume gives itself. A field the vendor did not give is null.
   */
  candidate?: Pick<CandidateFields, 'name' | 'email'>;
}

/** The delivery's candidate, with the name and email fetched beside the resume filling what the delivery lacked. */
export const withFetchedCandidate = (
  delivered: CandidateFields,
  fetched: FetchedResume,
): CandidateFields => ({
  ...delivered,
  name: delivered.name ?? fetched.candidate?.name ?? null,
  email: delivered.email ?? fetched.candidate?.email ?? null,
});

export interface VendorModule {
  vendor: Vendor;
  authenticate(request: WebhookRequest, integration: Integration, now: Date, config: Config): Authentication;
  parse(request: WebhookRequest): ParseResult;
  fetchResume(resume: unknown, context: FetchContext): Promise<FetchedResume>;
}

/**
 * Why a resume could not be had. Transient problems (timeouts, the vendor's 5xx, a rejected API key the admin can
 * fix) are answered 503 so the vendor retries; permanent ones (no resume, a forbidden host, a file over the limit)
 * are recorded and acknowledged.
 */
export class ResumeFetchError extends Error {
  override readonly name = 'ResumeFetchError';
  constructor(
    readonly code: string,
    message: string,
    readonly transient: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Vendor ids become parts of table keys: a safe charset only. Numbers (Greenhouse) become strings. */
export const VendorId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of letters, digits and . _ : -'));

/** A delivery id when the vendor sent none we can use: the body's hash, stable across identical redeliveries. */
export const bodyDeliveryId = (raw: Uint8Array): string => `sha256-${sha256Hex(raw).slice(0, 40)}`;

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');

/** Candidate fields from whatever the vendor sent: each kept only if it passes the screening's own schema. */
export function candidateFields(raw: {
  name?: string | null | undefined;
  email?: string | null | undefined;
  externalId: string;
  position?: string | null | undefined;
}): CandidateFields {
  const pick = <K extends keyof CandidateFields>(key: K, value: string | null | undefined) => {
    const parsed = CandidateFields.shape[key].safeParse(value?.trim() ? value.trim() : null);
    return parsed.success ? parsed.data : null;
  };
  return {
    name: pick('name', raw.name),
    email: pick('email', raw.email),
    externalId: pick('externalId', raw.externalId),
    position: pick('position', raw.position),
  };
}

export const basicAuth = (apiKey: string): string => `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

/** A file name for display: no path separators or control characters, bounded. */
export const safeFilename = (name: string | null | undefined, fallback: string): string => {
  const cleaned = Array.from(name ?? '', (ch) => (ch < ' ' || ch === '/' || ch === '\\' ? '_' : ch))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || fallback;
};
