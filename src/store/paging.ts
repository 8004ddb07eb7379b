import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../core/app-error';

/** Opaque to clients: the last key a page read, base64url JSON. */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * A cursor is accepted only for the index partition it came from, so a cursor cannot walk another list, let alone
 * another tenant's index; anything else is a 400 naming the field.
 */
export function decodeCursor(cursor: string, partition: string): Record<string, unknown> {
  const invalid = () =>
    new AppError('bad_request', 'invalid_cursor', 'The cursor is not valid for this list.', {
      details: { field: 'cursor' },
    });
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null) throw invalid();
  const record = key as Record<string, unknown>;
  if (record.GSI1PK !== partition || Object.values(record).some((v) => typeof v !== 'string'))
    throw invalid();
  return record;
}

/** Every page of a query, following `LastEvaluatedKey` until the partition (or key range) ends. */
export async function* queryPages(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<{ items: Array<Record<string, unknown>>; count: number }> {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield { items: out.Items ?? [], count: out.Count ?? 0 };
    start = out.LastEvaluatedKey;
  } while (start);
}

/** Every item a query matches (for lists that are small by nature: an organisation's users or tokens). */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of queryPages(db, input)) items.push(...page.items);
  return items;
}
