import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ModelDraft, TokenUsage } from '../assessment/assessment';
import { sha256Hex } from '../core/hash';
import { keys, ttlAttribute } from '../store/table';

/**
 * The draft cache: identical redacted text, rubric, prompt, model, temperature and sample count give the same LLM
 * draft, so a resubmission is served from the table with no LLM call. Entries belong to one organisation (the key
 * begins with it) and expire through DynamoDB TTL; an entry past its `expiresAt` that TTL has not yet deleted is
 * treated as absent. What is stored is the drafter's raw answers, before grounding: grounding runs again against
 * the new screening's own text, so offsets are always right for the resume at hand.
 */
export interface DraftCacheKeyParts {
  materialHash: string;
  rubricId: string;
  rubricVersion: string;
  rubricHash: string;
  promptHash: string;
  model: string;
  temperature: number | null;
  samples: number;
}

export const CachedDraft = z.object({
  drafts: z.array(ModelDraft).min(1),
  model: z.string(),
  temperature: z.number().nullable(),
  promptHash: z.string(),
  requestHash: z.string().nullable(),
  /** What producing the draft cost when it was made. */
  usage: TokenUsage,
  storedAt: z.iso.datetime(),
});
export type CachedDraft = z.infer<typeof CachedDraft>;

export const draftCacheKey = (parts: DraftCacheKeyParts): string =>
  sha256Hex(
    JSON.stringify([
      parts.materialHash,
      parts.rubricId,
      parts.rubricVersion,
      parts.rubricHash,
      parts.promptHash,
      parts.model,
      parts.temperature,
      parts.samples,
    ]),
  );

export class DraftCache {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly ttlSeconds: number,
  ) {}

  async get(orgId: string, key: string, now: Date): Promise<CachedDraft | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.draftCache(orgId, key) }),
    );
    const item = out.Item;
    if (!item || typeof item.payload !== 'string') return null;
    if (typeof item[ttlAttribute] === 'number' && item[ttlAttribute] <= Math.floor(now.getTime() / 1000))
      return null;
    let json: unknown;
    try {
      json = JSON.parse(item.payload);
    } catch {
      return null;
    }
    // An entry written by an older schema is a miss, not an error: the draft is simply made again.
    const parsed = CachedDraft.safeParse(json);
    return parsed.success ? parsed.data : null;
  }

  async put(orgId: string, key: string, entry: CachedDraft, now: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.draftCache(orgId, key),
          type: 'draft-cache',
          payload: JSON.stringify(entry),
          [ttlAttribute]: Math.floor(now.getTime() / 1000) + this.ttlSeconds,
        },
      }),
    );
  }
}
