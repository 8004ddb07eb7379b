import { z } from 'zod';
import { HostPattern } from '../net/host-allowlist';

/** The ATS vendors Vetline takes webhooks from. */
export const Vendor = z.enum(['greenhouse', 'lever', 'ashby']);
export type Vendor = z.infer<typeof Vendor>;

export interface VendorDefaults {
  label: string;
  /** Where follow-up API calls go; `null` for Greenhouse, whose webhook carries the resume link itself. */
  apiBaseUrl: string | null;
  /** Hosts resumes are downloaded from (API hosts are added on their own). Configurable per organisation. */
  downloadHosts: string[];
  /** Lever and Ashby need an API key to fetch the resume. */
  needsApiKey: boolean;
}

export const vendorDefaults: Record<Vendor, VendorDefaults> = {
  // The documented attachment links are expiring S3 URLs.
  greenhouse: {
    label: 'Greenhouse',
    apiBaseUrl: null,
    downloadHosts: ['*.s3.amazonaws.com', 's3.amazonaws.com'],
    needsApiKey: false,
  },
  // The download endpoint is on the API host; it may hand the file over from S3.
  lever: {
    label: 'Lever',
    apiBaseUrl: 'https://api.lever.co/v1',
    downloadHosts: ['api.lever.co', '*.s3.amazonaws.com'],
    needsApiKey: true,
  },
  // `file.info` answers a presigned S3 URL.
  ashby: {
    label: 'Ashby',
    apiBaseUrl: 'https://api.ashbyhq.com',
    downloadHosts: ['*.s3.amazonaws.com', 's3.amazonaws.com'],
    needsApiKey: true,
  },
};

/** The user a webhook acts as: one per organisation and vendor, with the recruiter role. */
export const integrationUserId = (vendor: Vendor): string => `usr_integration-${vendor}`;

/**
 * One organisation's settings for one vendor, as stored (`keys.integration`). `webhookSecret` is the vendor's signing
 * secret (Greenhouse secret key, Lever signature token, Ashby secret token); `apiKey` is for follow-up calls. Both are
 * write-only through the API: never returned, never logged.
 */
export const Integration = z.object({
  orgId: z.string(),
  vendor: Vendor,
  enabled: z.boolean(),
  webhookSecret: z.string().nullable(),
  apiKey: z.string().nullable(),
  apiBaseUrl: z.string().nullable(),
  allowedDownloadHosts: z.array(z.string()),
  /** Ashby only: accept deliveries without a signature when no secret is set (the customer's choice). */
  allowUnsigned: z.boolean(),
  integrationUserId: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastPingAt: z.iso.datetime().nullable(),
  lastSignatureFailureAt: z.iso.datetime().nullable(),
  signatureFailures: z.number().int().min(0),
});
export type Integration = z.infer<typeof Integration>;

/** What an admin sends to configure a vendor. Secrets left out keep their stored value; `null` clears them. */
export const IntegrationInput = z
  .object({
    enabled: z.boolean().default(true),
    webhookSecret: z.string().min(8).max(512).nullable().optional(),
    apiKey: z.string().min(8).max(512).nullable().optional(),
    apiBaseUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .nullable()
      .optional(),
    allowedDownloadHosts: z.array(HostPattern).min(1).max(20).optional(),
    allowUnsigned: z.boolean().optional(),
  })
  .strict();
export type IntegrationInput = z.infer<typeof IntegrationInput>;

export class IntegrationInputError extends Error {
  override readonly name = 'IntegrationInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Applies an admin's input to the stored settings (or the vendor defaults) and checks the result is usable: an
 * enabled integration can verify what it receives and fetch what it needs. Throws `IntegrationInputError`.
 */
export function applyIntegrationInput(
  existing: Integration | null,
  input: IntegrationInput,
  context: { orgId: string; vendor: Vendor; now: Date; allowHttpApi: boolean },
): Integration {
  const { vendor } = context;
  const defaults = vendorDefaults[vendor];
  if (input.allowUnsigned !== undefined && vendor !== 'ashby') {
    throw new IntegrationInputError('allowUnsigned', 'Only Ashby can send unsigned webhooks.');
  }
  if (input.apiBaseUrl != null && defaults.apiBaseUrl === null) {
    throw new IntegrationInputError('apiBaseUrl', `${defaults.label} needs no API base URL.`);
  }
  if (input.apiKey != null && !defaults.needsApiKey) {
    throw new IntegrationInputError('apiKey', `${defaults.label} needs no API key.`);
  }
  const apiBaseUrl =
    input.apiBaseUrl === undefined || input.apiBaseUrl === null
      ? (existing?.apiBaseUrl ?? defaults.apiBaseUrl)
      : input.apiBaseUrl.replace(/\/+$/, '');
  if (apiBaseUrl && !apiBaseUrl.startsWith('https://') && !context.allowHttpApi) {
    throw new IntegrationInputError('apiBaseUrl', 'The API base URL must be https.');
  }
  const now = context.now.toISOString();
  const next: Integration = {
    orgId: context.orgId,
    vendor,
    enabled: input.enabled,
    webhookSecret:
      input.webhookSecret === undefined ? (existing?.webhookSecret ?? null) : input.webhookSecret,
    apiKey: input.apiKey === undefined ? (existing?.apiKey ?? null) : input.apiKey,
    apiBaseUrl,
    allowedDownloadHosts:
      input.allowedDownloadHosts ?? existing?.allowedDownloadHosts ?? defaults.downloadHosts,
    allowUnsigned: vendor === 'ashby' ? (input.allowUnsigned ?? existing?.allowUnsigned ?? false) : false,
    integrationUserId: integrationUserId(vendor),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
    lastPingAt: existing?.lastPingAt ?? null,
    lastSignatureFailureAt: existing?.lastSignatureFailureAt ?? null,
    signatureFailures: existing?.signatureFailures ?? 0,
  };
  if (next.enabled) {
    if (!next.webhookSecret && !next.allowUnsigned) {
      throw new IntegrationInputError(
        'webhookSecret',
        `An enabled ${defaults.label} integration needs the webhook signing secret.`,
      );
    }
    if (defaults.needsApiKey && !next.apiKey) {
      throw new IntegrationInputError('apiKey', `${defaults.label} needs an API key to fetch resumes.`);
    }
  }
  return next;
}

/** The settings as the API shows them: whether secrets are set, never their values. */
export function integrationView(integration: Integration, publicUrl: string | undefined) {
  const { webhookSecret, apiKey, ...rest } = integration;
  const webhookPath = `/webhooks/${integration.vendor}/${integration.orgId}`;
  return {
    ...rest,
    webhookSecretSet: webhookSecret !== null,
    apiKeySet: apiKey !== null,
    webhookPath,
    webhookUrl: publicUrl ? `${publicUrl.replace(/\/+$/, '')}${webhookPath}` : null,
  };
}
export type IntegrationView = ReturnType<typeof integrationView>;
