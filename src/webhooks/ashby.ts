import { z } from 'zod';
import { verifyBodySignature } from './signature';
import {
  bodyDeliveryId,
  candidateFields,
  describeIssues,
  parseJson,
  ResumeFetchError,
  safeFilename,
  VendorId,
  type VendorModule,
} from './vendor';
import { callVendorApi, downloadResume } from './vendor-http';

/**
 * Ashby. `Ashby-Signature: sha256=<hex>` (with `=`) is the HMAC-SHA256 of the raw body with the webhook's secret
 * token. The secret is optional in Ashby; unsigned deliveries are accepted only when the organisation opted in and
 * set no secret. `webhookActionId` is stable across retries: the dedupe key. The resume comes from two API calls:
 * `candidate.info` for the resume's file handle, `file.info` for a presigned URL. Ashby does not retry
 * 401/403/404/405/410 and retries everything else that is not 2xx.
 */
const Envelope = z.object({
  webhookActionId: VendorId.optional(),
  action: z.string().min(1).max(100),
  data: z.unknown().optional(),
});

const SubmitData = z.object({
  application: z.object({
    id: VendorId,
    candidate: z.object({
      id: VendorId,
      name: z.string().nullish(),
      primaryEmailAddress: z.object({ value: z.string() }).nullish(),
    }),
    job: z.object({ title: z.string().nullish() }).nullish(),
  }),
});

/** Ashby answers 200 with `success: false` for refused calls. */
const apiResult = <T extends z.ZodType>(results: T) =>
  z.object({ success: z.boolean(), results: results.optional(), errors: z.array(z.unknown()).optional() });

const CandidateInfo = apiResult(
  z.object({
    resumeFileHandle: z.object({ handle: z.string().min(1), name: z.string().nullish() }).nullish(),
  }),
);
const FileInfo = apiResult(z.object({ url: z.string().min(1) }));

const ResumeRef = z.object({ candidateId: z.string() });

export const ashby: VendorModule = {
  vendor: 'ashby',

  authenticate(request, integration) {
    const header = request.header('ashby-signature');
    if (!integration.webhookSecret) {
      return integration.allowUnsigned
        ? { ok: true }
        : {
            ok: false,
            status: 401,
            code: 'signature_required',
            message: 'Unsigned Ashby webhooks are not accepted.',
          };
    }
    return verifyBodySignature(integration.webhookSecret, request.raw, header ?? null, {
      pattern: /^sha256=([0-9a-fA-F]{64})$/,
      shape: '`Ashby-Signature: sha256=<hex>`',
    });
  },

  parse(request) {
    const json = parseJson(request.text);
    const envelope = json.ok ? Envelope.safeParse(json.value) : null;
    if (!envelope?.success) {
      return {
        ok: false,
        deliveryId: bodyDeliveryId(request.raw),
        event: 'unknown',
        message: envelope ? describeIssues(envelope.error) : 'The body is not JSON.',
      };
    }
    const { action: event } = envelope.data;
    if (event === 'ping') return { ok: true, delivery: { kind: 'ping', event } };
    const deliveryId = envelope.data.webhookActionId ?? bodyDeliveryId(request.raw);
    if (event !== 'applicationSubmit') return { ok: true, delivery: { kind: 'ignored', event, deliveryId } };
    const data = SubmitData.safeParse(envelope.data.data);
    if (!data.success) return { ok: false, deliveryId, event, message: describeIssues(data.error) };
    const { application } = data.data;
    return {
      ok: true,
      delivery: {
        kind: 'application',
        event,
        deliveryId,
        applicationId: application.id,
        onlyIfSeen: false,
        candidate: candidateFields({
          name: application.candidate.name,
          email: application.candidate.primaryEmailAddress?.value,
          externalId: `ashby:application:${application.id}`,
          position: application.job?.title,
        }),
        resume: { candidateId: application.candidate.id },
      },
    };
  },

  async fetchResume(ref, context) {
    const { candidateId } = ResumeRef.parse(ref);
    const info = CandidateInfo.safeParse(
      await callVendorApi(context, { method: 'POST', path: '/candidate.info', body: { candidateId } }),
    );
    if (!info.success || !info.data.success) {
      throw new ResumeFetchError('vendor_api_error', 'Ashby did not return the candidate.', false);
    }
    const handle = info.data.results?.resumeFileHandle;
    if (!handle) throw new ResumeFetchError('no_resume', 'The candidate has no resume.', false);
    const file = FileInfo.safeParse(
      await callVendorApi(context, {
        method: 'POST',
        path: '/file.info',
        body: { fileHandle: handle.handle },
      }),
    );
    if (!file.success || !file.data.success || !file.data.results) {
      throw new ResumeFetchError('vendor_api_error', 'Ashby did not return a URL for the resume.', false);
    }
    const bytes = await downloadResume(context, file.data.results.url, { withApiKey: false });
    return { bytes, filename: safeFilename(handle.name, 'resume') };
  },
};
