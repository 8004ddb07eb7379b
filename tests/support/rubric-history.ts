import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../src/store/table';

/**
 * Makes a stored draft look as if it had been drafted with another rubric (an earlier deployment's): what a draft
 * made before a rubric change looks like in the table. Only the provenance the draft pins changes.
 */
export async function pinDraftRubric(
  db: DynamoDBDocumentClient,
  tableName: string,
  orgId: string,
  screeningId: string,
  rubric: { id?: string; version: string; hash: string },
): Promise<void> {
  const { PK } = keys.screening(orgId, screeningId);
  await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { PK, SK: 'DRAFT' },
      UpdateExpression:
        'SET assessment.provenance.rubricVersion = :v, assessment.provenance.rubricHash = :h' +
        (rubric.id ? ', assessment.provenance.rubricId = :i' : ''),
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: {
        ':v': rubric.version,
        ':h': rubric.hash,
        ...(rubric.id ? { ':i': rubric.id } : {}),
      },
    }),
  );
}
