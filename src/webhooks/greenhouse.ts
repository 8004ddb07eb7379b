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
import { downloadResume } from './vendor-http';

/**
 * Greenhouse (Harvest web hooks). `Signature: sha256 <hex>` (a space, not `=`) is the HMAC-SHA256 of the entire raw
 * body with the secret key the customer typed when creating the web hook; Greenhouse escapes non-ASCII before
 * signing, so only the raw bytes verify. No timestamp: dedupe by `Greenhouse-Event-ID` (and by application id).
 * The resume is an expiring link in `candidate.attachments[type=resume].url`. Greenhouse retries anything but 200.
 */
const GreenhouseEnvelope = z.object({ action: z.string().min(1).max(100), payload: z.unknown() });

const Attachment = z.object({
  filename: z.string().nullish(),
  url: z.string().min(1).max(4096),
  type: z.string(),
});

const ApplicationPayload = z.object({
  application: z.object({
    id: VendorId,
    candidate: z.object({
      id: VendorId,
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
      email_addresses: z.array(z.object({ value: z.string() })).nullish(),
      attachments: z.array(Attachment).nullish(),
    }),
    jobs: z.array(z.object({ name: z.string().nullish() })).nullish(),
  }),
});

/** Events that bring an application to screen. `application_updated` only retries one we have seen. */
const newApplication = 'new_candidate_application';
const applicationUpdated = 'application_updated';

const ResumeRef = z.object({ url: z.string(), filename: z.string() }).nullable();

export const greenhouse: VendorModule = {
  vendor: 'greenhouse',

  authenticate(request, integration) {
    return verifyBodySignature(integration.webhookSecret, request.raw, request.header('signature') ?? null, {
      pattern: /^sha256 ([0-9a-fA-F]{64})$/,
      shape: '`Signature: sha256 <hex>`',
    });
  },

  parse(request) {
    const headerId = VendorId.safeParse(request.header('greenhouse-event-id'));
    const deliveryId = headerId.success ? headerId.data : bodyDeliveryId(request.raw);
    const json = parseJson(request.text);
    const envelope = json.ok ? GreenhouseEnvelope.safeParse(json.value) : null;
    if (!envelope?.success) {
      return {
        ok: false,
        deliveryId,
        event: 'unknown',
        message: envelope ? describeIssues(envelope.error) : 'The body is not JSON.',
      };
    }
    const event = envelope.data.action;
    if (event === 'ping') return { ok: true, delivery: { kind: 'ping', event } };
    if (event !== newApplication && event !== applicationUpdated) {
      return { ok: true, delivery: { kind: 'ignored', event, deliveryId } };
    }
    const payload = ApplicationPayload.safeParse(envelope.data.payload);
    if (!payload.success) return { ok: false, deliveryId, event, message: describeIssues(payload.error) };
    const { application } = payload.data;
    const { candidate } = application;
    const resume = (candidate.attachments ?? []).find((a) => a.type === 'resume');
    return {
      ok: true,
      delivery: {
        kind: 'application',
        event,
        deliveryId,
        applicationId: application.id,
        onlyIfSeen: event === applicationUpdated,
        candidate: candidateFields({
          name: [candidate.first_name, candidate.last_name].filter(Boolean).join(' '),
          email: candidate.email_addresses?.[0]?.value,
          externalId: `greenhouse:application:${application.id}`,
          position: application.jobs?.[0]?.name,
        }),
        resume: resume ? { url: resume.url, filename: safeFilename(resume.filename, 'resume') } : null,
      },
    };
  },

  async fetchResume(ref, context) {
    const resume = ResumeRef.parse(ref);
    if (!resume) throw new ResumeFetchError('no_resume', 'The application has no resume attached.', false);
    const bytes = await downloadResume(context, resume.url, { withApiKey: false });
    return { bytes, filename: resume.filename };
  },
};
