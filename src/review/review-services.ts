import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AuthStore } from '../auth/auth-store';
import { SessionStore } from '../auth/session-store';
import type { Services } from '../core/services';
import { ScreeningStore } from '../store/screening-store';
import { ReviewStore } from './review-store';

/** The review part of `Services`, for every composition root (local runtime, Lambda entries, tests, benchmarks). */
export function reviewServices(
  db: DynamoDBDocumentClient,
  tableName: string,
): Pick<Services, 'sessions' | 'reviews'> {
  return {
    sessions: new SessionStore(db, tableName, new AuthStore(db, tableName)),
    reviews: new ReviewStore(db, tableName, new ScreeningStore(db, tableName)),
  };
}
