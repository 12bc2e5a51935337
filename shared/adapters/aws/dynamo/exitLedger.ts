import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { ExitItem, ExitLedger } from '../../../domain/exits/types.js';
import { ConcurrentEditError } from '../../../domain/ports.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** Puts in flight at once: a 10,000-row import is 10,000 conditional Puts, one request each. */
const PUTS_IN_FLIGHT = 16;

/**
 * The exit ledger read whole, as dispatch and reconcile read it (one consistent Query, paged): without the write
 * path, which dispatch's bundle would otherwise carry.
 */
export class DynamoExitReader implements Pick<ExitLedger, 'listItems'> {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly table: string,
  ) {}

  async listItems(planId: string): Promise<ExitItem[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.exitItems(planId) },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }
}

/**
 * The exit ledger in DynamoDB: one item per enterprise (`data`, and `version` for the conditional writes), in the
 * plan's `EXIT#` partition. Reads are consistent: dispatch reads the items just before it chases them, as it reads
 * submissions.
 */
export class DynamoExitLedger extends DynamoExitReader implements ExitLedger {
  async listUnitItems(planId: string, unit: string): Promise<ExitItem[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.exitItems(planId), ':prefix': keys.unitExitItemsPrefix(unit) },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  }

  async listCodes(planId: string): Promise<{ unit: string; creditCode: string }[]> {
    const keysOnly = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.exitItems(planId) },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return keysOnly.map((k) => keys.parseExitItemSk(String(k.sk)));
  }

  async getItem(planId: string, unit: string, creditCode: string): Promise<ExitItem | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.exitItem(planId, unit, creditCode), ConsistentRead: true }),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async putItems(writes: readonly { item: ExitItem; expected: number | undefined }[]): Promise<number> {
    await pLimit(PUTS_IN_FLIGHT).map(writes, async ({ item, expected }) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.exitItem(item.plan, item.unit, item.creditCode), version: item.version, data: item },
            ...(expected === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expected } }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw changed(item.creditCode, error);
        throw error;
      }
    });
    return writes.length;
  }

  async deleteItem(planId: string, unit: string, creditCode: string, expected: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.exitItem(planId, unit, creditCode),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expected },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw changed(creditCode, error);
      throw error;
    }
  }
}

const fromItem = (item: Record<string, unknown>) => item.data as ExitItem;

const changed = (creditCode: string, cause: unknown) =>
  new ConcurrentEditError(`exit item ${creditCode} was changed by someone else meanwhile; read it again`, { cause });
