import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { sha256Hex } from '../core/hash';
import { keys, ttlAttribute } from '../store/table';
import type { AuthStore, Principal, User } from './auth-store';

/**
 * Web sessions and sign-in links. Like API tokens, both read `<kind>.<orgId>.<secret>`: the organisation is in the
 * value so the lookup key begins with it, and only a hash of the secret is stored. Both expire through the table's
 * TTL and are also checked against `expiresAt` on read (TTL deletes lazily).
 *
 * A sign-in link is how a person gets a session: an admin creates one for a user (no e-mail is sent from here; the
 * admin hands it over), and the local dev seed writes a reusable one per dev user. Ordinary links work once.
 */
const valuePattern = /^(vss|vsl)\.(org_[0-9A-HJKMNP-TV-Z]{26}|org_[a-z0-9-]{1,40})\.([A-Za-z0-9_-]{43})$/;

function parseValue(raw: string, kind: 'vss' | 'vsl'): { orgId: string; secret: string } | null {
  const match = valuePattern.exec(raw.trim());
  if (!match?.[2] || !match[3] || match[1] !== kind) return null;
  return { orgId: match[2], secret: match[3] };
}

const SessionItem = z.object({
  orgId: z.string(),
  userId: z.string(),
  csrf: z.string(),
  sessionId: z.string(),
  createdAt: z.string(),
  expiresAt: z.number().int(),
});

const SignInItem = z.object({
  orgId: z.string(),
  userId: z.string(),
  reusable: z.boolean(),
  expiresAt: z.number().int(),
});

export interface WebSession {
  principal: Principal;
  user: User;
  /** The synchronizer token every form post of this session must carry. */
  csrf: string;
  expiresAt: Date;
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export class SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auth: AuthStore,
  ) {}

  /** Starts a session for the user; the returned value goes in the cookie and is never stored. */
  async create(user: User, ttlSeconds: number, now: Date): Promise<{ value: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.session(user.orgId, sha256Hex(secret)),
          type: 'session',
          orgId: user.orgId,
          userId: user.id,
          csrf: randomBytes(32).toString('base64url'),
          sessionId: sha256Hex(secret).slice(0, 16),
          createdAt: now.toISOString(),
          [ttlAttribute]: epochSeconds(expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { value: `vss.${user.orgId}.${secret}`, expiresAt };
  }

  /** The session behind a cookie value, with its user as they are now (role, deactivation), or `null`. */
  async resolve(raw: string, now: Date): Promise<WebSession | null> {
    const parsed = parseValue(raw, 'vss');
    if (!parsed) return null;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.session(parsed.orgId, sha256Hex(parsed.secret)),
      }),
    );
    const item = SessionItem.safeParse(out.Item);
    if (!item.success || item.data.orgId !== parsed.orgId || item.data.expiresAt <= epochSeconds(now))
      return null;
    const user = await this.auth.getUser(item.data.orgId, item.data.userId);
    if (!user || user.disabledAt) return null;
    return {
      principal: {
        orgId: user.orgId,
        userId: user.id,
        role: user.role,
        tokenId: `session:${item.data.sessionId}`,
        via: 'session',
      },
      user,
      csrf: item.data.csrf,
      expiresAt: new Date(item.data.expiresAt * 1000),
    };
  }

  async destroy(raw: string): Promise<void> {
    const parsed = parseValue(raw, 'vss');
    if (!parsed) return;
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.session(parsed.orgId, sha256Hex(parsed.secret)),
      }),
    );
  }

  /** A sign-in link code for the user. `reusable` is for the local dev seed only. */
  async issueSignInLink(
    user: Pick<User, 'orgId' | 'id'>,
    options: { ttlSeconds: number; reusable?: boolean },
    now: Date,
  ): Promise<{ code: string; expiresAt: Date }> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + options.ttlSeconds * 1000);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.signInLink(user.orgId, sha256Hex(secret)),
          type: 'sign-in-link',
          orgId: user.orgId,
          userId: user.id,
          reusable: options.reusable ?? false,
          createdAt: now.toISOString(),
          [ttlAttribute]: epochSeconds(expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { code: `vsl.${user.orgId}.${secret}`, expiresAt };
  }

  /** Whether a code is a live sign-in link, without using it up. */
  async peekSignInLink(code: string, now: Date): Promise<User | null> {
    const parsed = parseValue(code, 'vsl');
    if (!parsed) return null;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.signInLink(parsed.orgId, sha256Hex(parsed.secret)),
      }),
    );
    return this.userOfLink(out.Item, parsed.orgId, now);
  }

  /**
   * Uses a sign-in link: a one-time link is deleted by the same conditional write that reads it, so two requests
   * cannot both sign in with it. Returns the user, or `null` for an unknown, used, expired or deactivated one.
   */
  async consumeSignInLink(code: string, now: Date): Promise<User | null> {
    const parsed = parseValue(code, 'vsl');
    if (!parsed) return null;
    const key = keys.signInLink(parsed.orgId, sha256Hex(parsed.secret));
    const found = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    const link = SignInItem.safeParse(found.Item);
    if (!link.success) return null;
    if (!link.data.reusable) {
      try {
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: 'attribute_exists(PK) AND reusable = :false',
            ExpressionAttributeValues: { ':false': false },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return null;
        throw error;
      }
    }
    return this.userOfLink(found.Item, parsed.orgId, now);
  }

  private async userOfLink(item: unknown, orgId: string, now: Date): Promise<User | null> {
    const link = SignInItem.safeParse(item);
    if (!link.success || link.data.orgId !== orgId || link.data.expiresAt <= epochSeconds(now)) return null;
    const user = await this.auth.getUser(orgId, link.data.userId);
    return user && !user.disabledAt ? user : null;
  }
}
