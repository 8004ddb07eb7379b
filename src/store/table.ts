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
 * Worker idempotency records (Powertools, on AWS)  | PK = SYS#IDEMPOTENCY, SK = <function>#<hash of SQS message id>
 *
 * GSI1 is sparse: only screenings carry GSI1PK/GSI1SK, and they move between status partitions on every transition.
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
} as const;

export const indexNames = { byStatus: 'GSI1' } as const;

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
      IndexName: indexNames.byStatus,
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});
