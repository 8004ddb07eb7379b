import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/**
 * Deliveries as each vendor builds and signs them (shapes from the vendors' documentation). No test-runner imports:
 * the webhook benchmark uses these too.
 */
const hmac = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');

export const secret = () => randomBytes(24).toString('hex');

/** A Greenhouse `new_candidate_application` (or another action) as the developer docs show it. */
export function greenhouseApplication(options: {
  applicationId: number;
  resumeUrl: string | null;
  action?: string;
  firstName?: string;
}): Record<string, unknown> {
  return {
    action: options.action ?? 'new_candidate_application',
    payload: {
      application: {
        id: options.applicationId,
        status: 'active',
        applied_at: '2026-03-01T10:00:00Z',
        source: { id: 7, public_name: 'Careers page' },
        current_stage: { id: 3, name: 'Application Review' },
        candidate: {
          id: options.applicationId + 1_000_000,
          first_name: options.firstName ?? 'Priya',
          last_name: 'Raman',
          email_addresses: [{ value: 'priya@example.test', type: 'personal' }],
          attachments: options.resumeUrl
            ? [
                { filename: 'cover.txt', url: `${options.resumeUrl}-cover`, type: 'cover_letter' },
                { filename: 'priya-raman.txt', url: options.resumeUrl, type: 'resume' },
              ]
            : [],
        },
        jobs: [{ id: 42, name: 'Senior Python Engineer' }],
      },
    },
  };
}

export const greenhouseHeaders = (key: string, body: string, eventId: string = randomUUID()) => ({
  signature: `sha256 ${hmac(key, body)}`,
  'greenhouse-event-id': eventId,
  'user-agent': 'Greenhouse Harvest Webhooks',
});

export const ashbyHeaders = (key: string, body: string) => ({
  'ashby-signature': `sha256=${hmac(key, body)}`,
});

export function ashbySubmit(options: {
  webhookActionId: string;
  applicationId: string;
  candidateId: string;
}) {
  return {
    webhookActionId: options.webhookActionId,
    action: 'applicationSubmit',
    data: {
      application: {
        id: options.applicationId,
        status: 'Active',
        createdAt: '2026-03-01T10:00:00.000Z',
        candidate: {
          id: options.candidateId,
          name: 'Ada Lovelace',
          primaryEmailAddress: { value: 'ada@example.test', type: 'Personal', isPrimary: true },
          primaryPhoneNumber: null,
        },
        currentInterviewStage: { id: 'stage-1', title: 'Application Review' },
        source: { id: 'src-1', title: 'Applied' },
        job: { id: 'job-1', title: 'Staff Python Engineer' },
      },
    },
  };
}

/** A Lever delivery: `signature` is the HMAC of `token + triggeredAt` with the webhook's signature token. */
export function leverDelivery(
  signatureToken: string,
  options: { id?: string; event?: string; opportunityId?: string; triggeredAt?: number; token?: string },
): string {
  const token = options.token ?? randomBytes(24).toString('hex');
  const triggeredAt = options.triggeredAt ?? Date.now();
  return JSON.stringify({
    id: options.id ?? randomUUID(),
    event: options.event ?? 'applicationCreated',
    triggeredAt,
    token,
    signature: hmac(signatureToken, `${token}${triggeredAt}`),
    data: {
      opportunityId: options.opportunityId ?? randomUUID(),
      candidateId: options.opportunityId,
      contactId: 'c-1',
    },
  });
}
