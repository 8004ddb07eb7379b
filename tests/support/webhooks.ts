import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../src/auth/auth-store';
import { newId } from '../../src/core/ids';
import type { Drafter, DraftRequest, DraftResult } from '../../src/drafting/drafter';
import { OfflineDrafter } from '../../src/drafting/offline-drafter';
import { type AttachmentServer, startAttachmentServer } from './attachment-server';
import { bearer } from './http';
import { type LocalServer, startLocalServer } from './local-server';

/**
 * Webhook tests over real HTTP: the local runtime on a loopback socket (with the unsafe loopback download setting,
 * which tests need and nothing else may use), a local attachment server, a drafter that counts its calls, and
 * helpers that sign deliveries the way each vendor does.
 */
export class CountingDrafter implements Drafter {
  readonly kind = 'offline' as const;
  calls = 0;
  private readonly inner = new OfflineDrafter();

  draft(request: DraftRequest, signal?: AbortSignal): Promise<DraftResult> {
    this.calls++;
    return this.inner.draft(request, signal);
  }
}

export interface WebhookHarness {
  server: LocalServer;
  files: AttachmentServer;
  drafter: CountingDrafter;
  newOrg(): Promise<HarnessOrg>;
  close(): Promise<void>;
}

export interface HarnessOrg {
  orgId: string;
  tokens: Record<Role, string>;
  configure(vendor: string, settings: Record<string, unknown>): Promise<Response>;
  deliver(vendor: string, body: string, headers: Record<string, string>): Promise<Response>;
  delivery(vendor: string, deliveryId: string): Promise<Record<string, unknown> & { outcome: string | null }>;
}

export async function startWebhookHarness(env: Record<string, string> = {}): Promise<WebhookHarness> {
  const drafter = new CountingDrafter();
  const files = await startAttachmentServer();
  const server = await startLocalServer(
    { VETLINE_UNSAFE_ALLOW_LOOPBACK_HTTP: 'true', VETLINE_DOWNLOAD_TIMEOUT_MS: '2000', ...env },
    { drafter },
  );
  const { services } = server.runtime;
  return {
    server,
    files,
    drafter,
    async newOrg() {
      const orgId = newId('org');
      const now = new Date();
      await services.auth.createOrg(orgId, `Webhook test ${orgId}`, now);
      const tokens = {} as Record<Role, string>;
      for (const role of ['recruiter', 'reviewer', 'admin'] as const) {
        const user = {
          id: newId('usr'),
          orgId,
          email: `${role}@example.test`,
          name: role,
          role,
          createdAt: now.toISOString(),
        };
        await services.auth.createUser(user);
        tokens[role] = await services.auth.issueToken(user, 'test', now);
      }
      return {
        orgId,
        tokens,
        configure: (vendor, settings) =>
          server.fetch(`/v1/integrations/${vendor}`, {
            method: 'PUT',
            headers: { ...bearer(tokens.admin), 'content-type': 'application/json' },
            body: JSON.stringify(settings),
          }),
        deliver: (vendor, body, headers) =>
          server.fetch(`/webhooks/${vendor}/${orgId}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
          }),
        delivery: async (vendor, deliveryId) => {
          const res = await server.fetch(
            `/v1/integrations/${vendor}/deliveries/${encodeURIComponent(deliveryId)}`,
            {
              headers: bearer(tokens.admin),
            },
          );
          if (res.status !== 200)
            throw new Error(`delivery ${deliveryId}: ${res.status} ${await res.text()}`);
          return (await res.json()) as Record<string, unknown> & { outcome: string | null };
        },
      };
    },
    close: async () => {
      await server.close();
      await files.close();
    },
  };
}

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
