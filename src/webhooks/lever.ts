import { z } from 'zod';
import { CandidateFields } from '../screening/screening';
import { hmacSha256Hex, signatureMatches } from './signature';
import {
  candidateFields,
  describeIssues,
  type FetchContext,
  parseJson,
  ResumeFetchError,
  safeFilename,
  VendorId,
  type VendorModule,
} from './vendor';
import { callVendorApi, downloadResume } from './vendor-http';

/**
 * Lever. No signature header: the body carries `token` (random, per delivery), `triggeredAt` (epoch ms) and
 * `signature`, the hex HMAC-SHA256 of `token + triggeredAt` with the webhook's signature token. The body itself is
 * not signed, so: a stale `triggeredAt` is refused, a token is bound to the first delivery id it came with (a reused
 * token with another body is a replay), and the body's ids are only pointers into the organisation's own Lever,
 * fetched with its API key. The resume is not in the webhook: list the opportunity's resumes, download the newest.
 * Nor is the candidate's name or email, which blind screening needs to remove them: the opportunity itself is fetched
 * for those. Lever retries any non-2xx.
 */
const clockSkewMs = 5 * 60 * 1000;

const Signed = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{8,200}$/),
  triggeredAt: z.union([z.number().int().positive(), z.string().regex(/^\d{10,16}$/)]),
  signature: z.string().max(200),
});

const Envelope = z.object({
  id: VendorId.optional(),
  event: z.string().min(1).max(100),
  token: z.string(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

const ApplicationData = z
  .object({ opportunityId: VendorId.optional(), candidateId: VendorId.optional() })
  .refine((d) => d.opportunityId !== undefined || d.candidateId !== undefined, {
    message: 'an opportunityId (or the older candidateId) is required',
  });

const Resumes = z.object({
  data: z.array(
    z.object({
      id: VendorId,
      createdAt: z.number().nullish(),
      file: z.object({ name: z.string().nullish() }).nullish(),
    }),
  ),
});

const ResumeRef = z.object({ opportunityId: z.string() });

/** `GET /opportunities/{id}`: the fields blind screening needs (Lever's `emails` is a list of strings). */
const Opportunity = z.object({
  data: z.object({
    name: z.string().nullish(),
    emails: z.array(z.unknown()).nullish(),
  }),
});

/**
 * The opportunity's name and first valid email. A transient failure is the delivery's (the vendor retries); an answer
 * Lever refuses or garbles leaves them unknown, and blind screening reads the name from the resume instead (and
 * fails closed if it cannot).
 */
async function opportunityCandidate(
  opportunityId: string,
  context: FetchContext,
): Promise<Pick<CandidateFields, 'name' | 'email'>> {
  const unknown = { name: null, email: null };
  let answer: unknown;
  try {
    answer = await callVendorApi(context, {
      method: 'GET',
      path: `/opportunities/${encodeURIComponent(opportunityId)}`,
    });
  } catch (error) {
    if (error instanceof ResumeFetchError && !error.transient) return unknown;
    throw error;
  }
  const parsed = Opportunity.safeParse(answer);
  if (!parsed.success) return unknown;
  const { name, emails } = parsed.data.data;
  const email = (emails ?? []).find(
    (e): e is string => typeof e === 'string' && CandidateFields.shape.email.safeParse(e.trim()).success,
  );
  const fields = candidateFields({ name, email, externalId: `lever:opportunity:${opportunityId}` });
  return { name: fields.name, email: fields.email };
}

export const lever: VendorModule = {
  vendor: 'lever',

  authenticate(request, integration, now, config) {
    const json = parseJson(request.text);
    if (!json.ok)
      return { ok: false, status: 400, code: 'malformed_payload', message: 'The body is not JSON.' };
    const signed = Signed.safeParse(json.value);
    if (!integration.webhookSecret || !signed.success) {
      return {
        ok: false,
        status: 401,
        code: 'signature_missing',
        message: 'The body needs `token`, `triggeredAt` and `signature`.',
      };
    }
    const { token, triggeredAt, signature } = signed.data;
    const expected = hmacSha256Hex(integration.webhookSecret, `${token}${String(triggeredAt)}`);
    if (!signatureMatches(expected, signature)) {
      return { ok: false, status: 401, code: 'signature_invalid', message: 'The signature does not match.' };
    }
    const age = now.getTime() - Number(triggeredAt);
    if (age > config.webhooks.maxAgeSeconds * 1000 || age < -clockSkewMs) {
      return {
        ok: false,
        status: 401,
        code: 'stale_delivery',
        message: '`triggeredAt` is outside the accepted window; a replay is refused.',
      };
    }
    return { ok: true, replayToken: token };
  },

  parse(request) {
    const json = parseJson(request.text);
    const envelope = json.ok ? Envelope.safeParse(json.value) : null;
    if (!envelope?.success) {
      const token = json.ok ? Signed.safeParse(json.value).data?.token : undefined;
      return {
        ok: false,
        deliveryId: token ?? 'unknown',
        event: 'unknown',
        message: envelope ? describeIssues(envelope.error) : 'The body is not JSON.',
      };
    }
    const { event } = envelope.data;
    const deliveryId = envelope.data.id ?? envelope.data.token;
    if (event !== 'applicationCreated') return { ok: true, delivery: { kind: 'ignored', event, deliveryId } };
    const data = ApplicationData.safeParse(envelope.data.data ?? {});
    if (!data.success) return { ok: false, deliveryId, event, message: describeIssues(data.error) };
    const opportunityId = data.data.opportunityId ?? data.data.candidateId ?? '';
    return {
      ok: true,
      delivery: {
        kind: 'application',
        event,
        deliveryId,
        applicationId: opportunityId,
        onlyIfSeen: false,
        candidate: candidateFields({ externalId: `lever:opportunity:${opportunityId}` }),
        resume: { opportunityId },
      },
    };
  },

  async fetchResume(ref, context) {
    const { opportunityId } = ResumeRef.parse(ref);
    const candidate = await opportunityCandidate(opportunityId, context);
    const base = `/opportunities/${encodeURIComponent(opportunityId)}/resumes`;
    const listed = Resumes.safeParse(await callVendorApi(context, { method: 'GET', path: base }));
    if (!listed.success) {
      throw new ResumeFetchError('vendor_api_malformed', 'Lever answered an unexpected resume list.', false);
    }
    const newest = listed.data.data
      .filter((r) => r.file)
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0];
    if (!newest) throw new ResumeFetchError('no_resume', 'The opportunity has no resume.', false);
    const apiHost = new URL(context.integration.apiBaseUrl ?? 'https://api.lever.co').hostname;
    const bytes = await downloadResume(
      context,
      `${context.integration.apiBaseUrl}${base}/${encodeURIComponent(newest.id)}/download`,
      { withApiKey: true, extraHosts: [apiHost] },
    );
    return { bytes, filename: safeFilename(newest.file?.name, 'resume'), candidate };
  },
};
