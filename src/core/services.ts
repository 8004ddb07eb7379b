import type { AuthStore } from '../auth/auth-store';
import type { SessionStore } from '../auth/session-store';
import type { BlobStore } from '../blob/blob-store';
import type { DraftCache } from '../drafting/draft-cache';
import type { Drafter } from '../drafting/drafter';
import type { ExtractedDocument } from '../extraction/extract';
import type { IntegrationStore } from '../integrations/integration-store';
import type { JobQueue } from '../queue/job-queue';
import type { ReviewStore } from '../review/review-store';
import type { ScreeningStore } from '../store/screening-store';
import type { DeliveryStore } from '../webhooks/delivery-store';
import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Everything the application needs, built once per process by a runtime (`src/local/runtime.ts` locally, the Lambda
 * entries on AWS) and passed down. Tests build it with real adapters pointed at DynamoDB Local and a temp folder.
 */
export interface Services {
  config: Config;
  logger: Logger;
  screenings: ScreeningStore;
  auth: AuthStore;
  blobs: BlobStore;
  queue: JobQueue;
  drafter: Drafter;
  /**
   * Reads a file's text. Where it is set (locally, and in the worker on AWS) intake extracts at upload, so an
   * unreadable file is answered 422 at once; where it is `null` (the API function on AWS, which stays lean without
   * the PDF and DOCX parsers) the worker extracts in the `extracting` step. Built by `src/extraction/extract.ts`.
   */
  extract: ((bytes: Uint8Array) => Promise<ExtractedDocument>) | null;
  now: () => Date;
  /** Stored LLM drafts by redacted text, rubric, prompt and model (issue 3); absent or `null`: no draft cache. */
  draftCache?: DraftCache | null;
  // Human review: web sessions and sign-in links; finals, decisions and the audit trail.
  sessions: SessionStore;
  reviews: ReviewStore;
  /** ATS integration settings per organisation and vendor (secrets included: never return or log them). */
  integrations: IntegrationStore;
  /** Webhook idempotency: deliveries, applications, replay tokens. */
  webhookDeliveries: DeliveryStore;
}
