import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignInRecord, SignInStore } from '../../../domain/people/signIn.js';
import { keys } from './keys.js';

/** Seconds an item is kept after it stops mattering (a TTL attribute, `expiresAt`, for DynamoDB to remove it). */
const KEEP_SECONDS = 2 * 86_400;

/**
 * People's sign-in links in the `LOGIN#` key space: one item per link (single use by a conditional update),
 * and a counter per address and window. Items carry a TTL so they do not pile up.
 */
export class DynamoSignInStore implements SignInStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async countSignIn(addressHash: string, window: number, limit: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.signInRate(addressHash, window),
          UpdateExpression: 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'sent' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':ttl': Math.floor(Date.now() / 1000) + KEEP_SECONDS,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async createSignIn(record: SignInRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.signIn(record.id), ...record, expiresAt: Math.floor(record.expires / 1000) + KEEP_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async useSignIn(id: string, now: number): Promise<SignInRecord | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.signIn(id),
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expires > :now',
          ExpressionAttributeValues: { ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return recordOf(out.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async getSignIn(id: string): Promise<SignInRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.signIn(id), ConsistentRead: true }),
    );
    return recordOf(out.Item);
  }

  async endSignIn(id: string, now: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.signIn(id),
          UpdateExpression: 'SET endedAt = if_not_exists(endedAt, :now)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function recordOf(item: Record<string, unknown> | undefined): SignInRecord | undefined {
  if (!item) return undefined;
  return {
    id: String(item.id),
    email: String(item.email),
    expires: Number(item.expires),
    createdAt: Number(item.createdAt),
    ...(item.usedAt === undefined ? {} : { usedAt: Number(item.usedAt) }),
    ...(item.endedAt === undefined ? {} : { endedAt: Number(item.endedAt) }),
  };
}
