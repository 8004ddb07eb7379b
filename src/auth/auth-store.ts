import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { sha256Hex } from '../core/hash';
import { newId } from '../core/ids';
import { queryAll } from '../store/paging';
import { indexNames, keys } from '../store/table';
import { type OrgSettings, readOrgSettings, writeOrgSettings } from './org-settings';
import { effectiveRole } from './roles';

export const Role = z.enum(['recruiter', 'reviewer', 'admin']);
export type Role = z.infer<typeof Role>;

export interface Principal {
  orgId: string;
  userId: string;
  role: Role;
  tokenId: string;
  /** How the caller signed in; absent means an API token. Audit events record it. */
  via?: 'token' | 'session';
}

const TokenItem = z.object({
  tokenId: z.string(),
  orgId: z.string(),
  userId: z.string(),
  /** Granted at issue: a ceiling on what the token may do; its user's current role can only lower it. */
  role: Role,
  label: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const User = z.object({
  id: z.string(),
  orgId: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  createdAt: z.string(),
  /** Set when an admin deactivates the user: their sessions and sign-in links stop working at once. */
  disabledAt: z.string().nullable().optional(),
});
export type User = z.infer<typeof User>;

/** An API token as an admin sees it: never the secret. */
export const TokenInfo = TokenItem;
export type TokenInfo = z.infer<typeof TokenInfo>;

/**
 * A token reads `vtl.<orgId>.<secret>`. The organisation is part of the token so that its lookup key begins with the
 * organisation like every other key; only a hash of the secret is stored, so a table dump grants nothing.
 */
const tokenPattern = /^vtl\.(org_[0-9A-HJKMNP-TV-Z]{26}|org_[a-z0-9-]{1,40})\.([A-Za-z0-9_-]{43})$/;

export function parseToken(raw: string): { orgId: string; secret: string } | null {
  const match = tokenPattern.exec(raw);
  if (!match?.[1] || !match[2]) return null;
  return { orgId: match[1], secret: match[2] };
}

export { OrgSettings } from './org-settings';

export class AuthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates the organisation and registers its id with the runtime that resumes unfinished work after a restart. */
  async createOrg(orgId: string, name: string, now: Date): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.org(orgId), type: 'org', orgId, name, createdAt: now.toISOString() },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          { Put: { TableName: this.tableName, Item: { ...keys.orgRegistry(orgId), orgId } } },
        ],
      }),
    );
  }

  async getOrg(orgId: string): Promise<{ orgId: string; name: string; settings: OrgSettings } | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.org(orgId) }));
    if (!out.Item) return null;
    return {
      orgId: String(out.Item.orgId),
      name: String(out.Item.name),
      settings: readOrgSettings(out.Item.settings),
    };
  }

  /**
   * Changes some of an organisation's settings (the others keep their value) and returns them before and after; with
   * `audit`, its event is written in the same transaction (see `writeOrgSettings`).
   */
  async updateOrgSettings(
    orgId: string,
    patch: Partial<OrgSettings>,
    audit?: Parameters<typeof writeOrgSettings>[4],
  ): Promise<{ before: OrgSettings; after: OrgSettings }> {
    const result = await writeOrgSettings(this.db, this.tableName, orgId, patch, audit);
    if (!result) throw new Error(`organisation ${orgId} not found`);
    return result;
  }

  async createUser(user: User): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.user(user.orgId, user.id),
          ...keys.userIndex(user.orgId, user.id),
          type: 'user',
          ...user,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /** Issues a new token for a user; the returned string is shown once and never stored. */
  async issueToken(user: Pick<User, 'orgId' | 'id' | 'role'>, label: string, now: Date): Promise<string> {
    return (await this.createToken(user, label, now)).token;
  }

  /**
   * Like `issueToken`, with the token's id (what admins list and revoke it by). `role` is what the token is granted,
   * the user's role unless given; callers check it is one the user's role includes (`roleIncludes`).
   */
  async createToken(
    user: Pick<User, 'orgId' | 'id' | 'role'>,
    label: string,
    now: Date,
    role: Role = user.role,
  ): Promise<{ token: string; tokenId: string }> {
    const secret = randomBytes(32).toString('base64url');
    const tokenId = newId('tok');
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.token(user.orgId, sha256Hex(secret)),
          ...keys.tokenIndex(user.orgId, tokenId),
          type: 'token',
          tokenId,
          orgId: user.orgId,
          userId: user.id,
          role,
          label,
          createdAt: now.toISOString(),
          revokedAt: null,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { token: `vtl.${user.orgId}.${secret}`, tokenId };
  }

  /**
   * A token acts as its user as they are now: two GetItems, the token (its organisation is in the token, the secret's
   * hash is the key) and then its user. A deactivated or missing user, like a revoked token, resolves to nothing. The
   * role on the token is what it was granted at issue, a ceiling: the token acts with the role that both it and the
   * user's current role allow (`effectiveRole`), so a demotion takes effect at once and a later promotion does not
   * widen a token issued for less.
   */
  async resolveToken(raw: string): Promise<Principal | null> {
    const parsed = parseToken(raw);
    if (!parsed) return null;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.token(parsed.orgId, sha256Hex(parsed.secret)) }),
    );
    const item = TokenItem.safeParse(out.Item);
    if (!item.success || item.data.revokedAt !== null || item.data.orgId !== parsed.orgId) return null;
    const user = await this.getUser(item.data.orgId, item.data.userId);
    if (!user || user.disabledAt) return null;
    const role = effectiveRole(item.data.role, user.role);
    if (!role) return null;
    return { orgId: user.orgId, userId: user.id, role, tokenId: item.data.tokenId };
  }

  // ---- Users and tokens, for admins (listed from the organisation's partitions of GSI1) ----------------------------

  async getUser(orgId: string, userId: string): Promise<User | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.user(orgId, userId) }),
    );
    return out.Item ? User.parse(out.Item) : null;
  }

  async listUsers(orgId: string): Promise<User[]> {
    return (await this.queryIndex(keys.usersPartition(orgId))).map((item) => User.parse(item));
  }

  /** Changes a user's role or (de)activates them; returns the user before and after, or `null` if there is none. */
  async updateUser(
    orgId: string,
    userId: string,
    change: { role?: Role; disabledAt?: string | null },
  ): Promise<{ before: User; after: User } | null> {
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    if (change.role !== undefined) {
      sets.push('#role = :role');
      values[':role'] = change.role;
    }
    if (change.disabledAt !== undefined) {
      sets.push('disabledAt = :disabledAt');
      values[':disabledAt'] = change.disabledAt;
    }
    const before = await this.getUser(orgId, userId);
    if (!before || sets.length === 0) return before ? { before, after: before } : null;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(orgId, userId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: change.role !== undefined ? { '#role': 'role' } : undefined,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { before, after: User.parse(out.Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  async listTokens(orgId: string): Promise<TokenInfo[]> {
    return (await this.queryIndex(keys.tokensPartition(orgId))).map((item) => TokenInfo.parse(item));
  }

  /** Revokes a token by its id; returns it as it was, or `null` when the organisation has no such token. */
  async revokeTokenById(orgId: string, tokenId: string, now: Date): Promise<TokenInfo | null> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexNames.gsi1,
        KeyConditionExpression: 'GSI1PK = :p AND GSI1SK = :id',
        ExpressionAttributeValues: { ':p': keys.tokensPartition(orgId), ':id': tokenId },
      }),
    );
    const item = out.Items?.[0];
    if (!item) return null;
    const token = TokenInfo.parse(item);
    if (token.revokedAt === null) {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET revokedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    }
    return token;
  }

  private queryIndex(partition: string): Promise<Array<Record<string, unknown>>> {
    return queryAll(this.db, {
      TableName: this.tableName,
      IndexName: indexNames.gsi1,
      KeyConditionExpression: 'GSI1PK = :p',
      ExpressionAttributeValues: { ':p': partition },
    });
  }
}
