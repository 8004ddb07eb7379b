import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table, declared in one place. Every tenant key begins with the organisation (`O#<orgId>#...`), so no
 * query built from these functions can read another organisation's items. Items are spread over many partitions
 * (one per screening, user, token) rather than one per organisation, so a busy tenant does not make a hot partition.
 *
 * Access patterns                                   | Key condition
 * --------------------------------------------------|------------------------------------------------------------
 * Screening by id (with its submissions)            | PK = O#<org>#SCR#<scr>, SK = META | SUB#<sub>
 * Review queue of an org by status, oldest first    | GSI1: GSI1PK = O#<org>#ST#<status>, GSI1SK = <receivedAt>#<scr>
 * Resolve an API/dev token                          | PK = O#<org>#TOK#<sha256(secret)>, SK = TOKEN (org id is in the token)
 * User by id                                        | PK = O#<org>#USR#<usr>, SK = USER
 * Organisation profile and settings                 | PK = O#<org>, SK = ORG
 * Organisations with work to resume (local runtime) | PK = SYS#ORGS, SK = <org>  (ids only, no tenant data)
 * Draft cache: a stored LLM draft for identical       | PK = O#<org>#DCACHE#<sha256 of redacted text, rubric, prompt
 *   redacted text, rubric, prompt, model and samples  |   hash, model, temperature, samples>, SK = DRAFT; TTL expiresAt
 * The human final of a screening (beside its DRAFT) | PK = O#<org>#SCR#<scr>, SK = FINAL
 * Audit trail of one screening, oldest first        | PK = O#<org>#SCR#<scr>, SK begins_with EVT#  (append-only)
 * Audit event about a user or token (no screening)  | PK = O#<org>#EVT#<evt>, SK = EVT
 * Audit trail of an organisation, newest first      | GSI1: GSI1PK = O#<org>#AUDIT, GSI1SK = <at>#<evt>  (every event)
 * Users of an organisation                          | GSI1: GSI1PK = O#<org>#USERS, GSI1SK = <usr>
 * API tokens of an organisation (list, revoke by id)| GSI1: GSI1PK = O#<org>#TOKENS, GSI1SK = <tok>
 * Web session                                       | PK = O#<org>#SES#<sha256(secret)>, SK = SESSION  (TTL; org id in cookie)
 * Sign-in link                                      | PK = O#<org>#SIL#<sha256(secret)>, SK = SIGNIN  (TTL; org id in link)
 * ATS integrations of an org (settings, secrets)    | PK = O#<org>#INT, SK = VENDOR#<vendor>
 * Webhook delivery by the vendor's id (dedupe, TTL) | PK = O#<org>#WHD#<vendor>#<deliveryId>, SK = DELIVERY
 * ATS application -> its one screening (TTL)        | PK = O#<org>#WHA#<vendor>#<applicationId>, SK = APPLICATION
 * Lever delivery tokens already used (replay, TTL)  | PK = O#<org>#WHT#<vendor>#<token>, SK = TOKEN
 * Worker idempotency records (Powertools, on AWS)  | PK = SYS#IDEMPOTENCY, SK = <function>#<hash of SQS message id>
 * A candidate's screenings (resume, take-homes)     | PK = O#<org>#CAND#<cand>, SK = SCR#<scr>  (written with the screening)
 * Unheld work for the sweep (screening/sweep.ts)    | PK = SYS#ORGS for the orgs; then per org and working status
 *   queued, extracting, drafting; its marks         |   GSI1: GSI1PK = O#<org>#ST#<status> (small: work moves on in
 *   (sweptAt, sweeps, sweptVersion) are on META     |   minutes), filtered in code on updatedAt / leaseExpiresAt
 * Finals of earlier drafts (moved there on re-queue) | PK = O#<org>#SCR#<scr>, SK = FINAL#<screening version, 6 digits>
 *
 * GSI1 is sparse and overloaded: screenings carry status keys and move between status partitions on every transition;
 * audit events, users and tokens carry the list keys above. Partitions never collide: their names differ after the org.
 * Nothing here ever Scans.
 */
export const keys = {
  org: (orgId: string) => ({ PK: `O#${orgId}`, SK: 'ORG' }),
  orgRegistry: (orgId: string) => ({ PK: 'SYS#ORGS', SK: orgId }),
  user: (orgId: string, userId: string) => ({ PK: `O#${orgId}#USR#${userId}`, SK: 'USER' }),
  token: (orgId: string, secretHash: string) => ({ PK: `O#${orgId}#TOK#${secretHash}`, SK: 'TOKEN' }),
  screening: (orgId: string, screeningId: string) => ({ PK: `O#${orgId}#SCR#${screeningId}`, SK: 'META' }),
  submission: (orgId: string, screeningId: string, submissionId: string) => ({
    PK: `O#${orgId}#SCR#${screeningId}`,
    SK: `SUB#${submissionId}`,
  }),
  statusIndex: (orgId: string, status: string, receivedAt: string, screeningId: string) => ({
    GSI1PK: `O#${orgId}#ST#${status}`,
    GSI1SK: `${receivedAt}#${screeningId}`,
  }),
  statusPartition: (orgId: string, status: string) => `O#${orgId}#ST#${status}`,
  draftCache: (orgId: string, keyHash: string) => ({ PK: `O#${orgId}#DCACHE#${keyHash}`, SK: 'DRAFT' }),
  // Review, audit, users, tokens, sessions (see the table above).
  final: (orgId: string, screeningId: string) => ({ PK: `O#${orgId}#SCR#${screeningId}`, SK: 'FINAL' }),
  screeningEvent: (orgId: string, screeningId: string, eventId: string) => ({
    PK: `O#${orgId}#SCR#${screeningId}`,
    SK: `EVT#${eventId}`,
  }),
  orgEvent: (orgId: string, eventId: string) => ({ PK: `O#${orgId}#EVT#${eventId}`, SK: 'EVT' }),
  auditIndex: (orgId: string, at: string, eventId: string) => ({
    GSI1PK: `O#${orgId}#AUDIT`,
    GSI1SK: `${at}#${eventId}`,
  }),
  auditPartition: (orgId: string) => `O#${orgId}#AUDIT`,
  userIndex: (orgId: string, userId: string) => ({ GSI1PK: `O#${orgId}#USERS`, GSI1SK: userId }),
  usersPartition: (orgId: string) => `O#${orgId}#USERS`,
  tokenIndex: (orgId: string, tokenId: string) => ({ GSI1PK: `O#${orgId}#TOKENS`, GSI1SK: tokenId }),
  tokensPartition: (orgId: string) => `O#${orgId}#TOKENS`,
  session: (orgId: string, secretHash: string) => ({ PK: `O#${orgId}#SES#${secretHash}`, SK: 'SESSION' }),
  signInLink: (orgId: string, secretHash: string) => ({ PK: `O#${orgId}#SIL#${secretHash}`, SK: 'SIGNIN' }),
  // ATS webhooks (src/integrations, src/webhooks). Vendor ids are checked against a safe charset before use here.
  integrationPartition: (orgId: string) => `O#${orgId}#INT`,
  integration: (orgId: string, vendor: string) => ({ PK: `O#${orgId}#INT`, SK: `VENDOR#${vendor}` }),
  webhookDelivery: (orgId: string, vendor: string, deliveryId: string) => ({
    PK: `O#${orgId}#WHD#${vendor}#${deliveryId}`,
    SK: 'DELIVERY',
  }),
  webhookApplication: (orgId: string, vendor: string, applicationId: string) => ({
    PK: `O#${orgId}#WHA#${vendor}#${applicationId}`,
    SK: 'APPLICATION',
  }),
  webhookToken: (orgId: string, vendor: string, token: string) => ({
    PK: `O#${orgId}#WHT#${vendor}#${token}`,
    SK: 'TOKEN',
  }),
  candidateScreening: (orgId: string, candidateId: string, screeningId: string) => ({
    PK: `O#${orgId}#CAND#${candidateId}`,
    SK: `SCR#${screeningId}`,
  }),
  candidatePartition: (orgId: string, candidateId: string) => `O#${orgId}#CAND#${candidateId}`,
  /** A human final set aside when its screening was re-drafted: the review of the new draft starts afresh. */
  pastFinal: (orgId: string, screeningId: string, version: number) => ({
    PK: `O#${orgId}#SCR#${screeningId}`,
    SK: `FINAL#${String(version).padStart(6, '0')}`,
  }),
} as const;

/** GSI1 is sparse and overloaded: review queues by status, and the audit, users and tokens lists (see above). */
export const indexNames = { gsi1: 'GSI1' } as const;

/** The partition Powertools idempotency writes to (ids and hashes only; expired by the table's TTL). */
export const idempotencyPartition = 'SYS#IDEMPOTENCY';

/** Attribute that DynamoDB's TTL deletes on (epoch seconds); set on expiring items such as webhook deliveries. */
export const ttlAttribute = 'expiresAt';

export const tableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'GSI1PK', AttributeType: 'S' },
    { AttributeName: 'GSI1SK', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: indexNames.gsi1,
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});
