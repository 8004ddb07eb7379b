import { z } from 'zod';

/** The webhook idempotency records as stored (see `delivery-store.ts` for how they are used). */
export const DeliveryOutcome = z.enum(['screened', 'duplicate', 'ignored', 'rejected', 'malformed']);
export type DeliveryOutcome = z.infer<typeof DeliveryOutcome>;

const Reason = z.object({ code: z.string(), message: z.string() });
export type DeliveryReason = z.infer<typeof Reason>;

export const WebhookDelivery = z.object({
  orgId: z.string(),
  vendor: z.string(),
  deliveryId: z.string(),
  event: z.string(),
  applicationId: z.string().nullable(),
  status: z.enum(['processing', 'done', 'retryable']),
  outcome: DeliveryOutcome.nullable(),
  reason: Reason.nullable(),
  screeningId: z.string().nullable(),
  httpStatus: z.number().int().nullable(),
  attempts: z.number().int().min(0),
  /** Epoch ms; a `processing` delivery past it may be taken over. */
  leaseUntil: z.number().nullable(),
  receivedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  expiresAt: z.number().int(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookApplication = z.object({
  orgId: z.string(),
  vendor: z.string(),
  applicationId: z.string(),
  status: z.enum(['processing', 'released', 'screened']),
  holder: z.string().nullable(),
  leaseUntil: z.number().nullable(),
  /** Fixed at the first claim; the screening is created under this id or not at all. */
  screeningId: z.string(),
  attempts: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
  expiresAt: z.number().int(),
});
export type WebhookApplication = z.infer<typeof WebhookApplication>;

export interface DeliveryKey {
  orgId: string;
  vendor: string;
  deliveryId: string;
}

export interface ApplicationKey {
  orgId: string;
  vendor: string;
  applicationId: string;
}

export type Claim<T> = { claimed: true; item: T } | { claimed: false; item: T | null };
