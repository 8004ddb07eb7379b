import type { Role } from '../../src/auth/auth-store';
import type { Drafter, DraftRequest, DraftResult } from '../../src/drafting/drafter';
import { OfflineDrafter } from '../../src/drafting/offline-drafter';
import { type AttachmentServer, startAttachmentServer } from './attachment-server';
import { bearer } from './http';
import { type LocalServer, startLocalServer } from './local-server';
import { seedTestOrg } from './test-org';

/**
 * Webhook tests over real HTTP: the local runtime on a loopback socket (with the unsafe loopback download setting,
 * which tests need and nothing else may use), a local attachment server, a drafter that counts its calls, and
 * helpers that sign deliveries the way each vendor does.
 */
export class CountingDrafter implements Drafter {
  readonly kind = 'offline' as const;
  calls = 0;
  /** The material each call was given: what a model would have seen. */
  readonly texts: string[] = [];
  private readonly inner = new OfflineDrafter();

  draft(request: DraftRequest, signal?: AbortSignal): Promise<DraftResult> {
    this.calls++;
    this.texts.push(request.text);
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
      const { orgId, tokens } = await seedTestOrg(services.auth, 'Webhook test');
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

export * from './webhook-payloads';
