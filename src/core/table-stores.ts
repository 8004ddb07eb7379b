import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuthStore } from '../auth/auth-store';
import { SessionStore } from '../auth/session-store';
import { DraftCache } from '../drafting/draft-cache';
import { IntegrationStore } from '../integrations/integration-store';
import { ReviewStore } from '../review/review-store';
import { ScreeningStore } from '../store/screening-store';
import { DeliveryStore } from '../webhooks/delivery-store';
import type { Config } from './config';
import type { Services } from './services';

export type TableStores = Pick<
  Services,
  'screenings' | 'auth' | 'sessions' | 'reviews' | 'draftCache' | 'integrations' | 'webhookDeliveries'
>;

/**
 * Every store over the single table, built once for one client and table. Each composition root (the local runtime,
 * the Lambda entries, tests, benchmarks) takes them from here, so a new store is added in one place.
 */
export function createTableStores(
  db: DynamoDBDocumentClient,
  tableName: string,
  drafting: Config['drafting'],
): TableStores {
  const screenings = new ScreeningStore(db, tableName);
  const auth = new AuthStore(db, tableName);
  return {
    screenings,
    auth,
    sessions: new SessionStore(db, tableName, auth),
    reviews: new ReviewStore(db, tableName, screenings),
    draftCache: drafting.draftCache.enabled
      ? new DraftCache(db, tableName, drafting.draftCache.ttlSeconds)
      : null,
    integrations: new IntegrationStore(db, tableName),
    webhookDeliveries: new DeliveryStore(db, tableName),
  };
}
