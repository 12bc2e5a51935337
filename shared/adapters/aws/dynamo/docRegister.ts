import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocSeries, NoticeKey } from '../../../domain/ports.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** A notice as the register names it: one string, compared whole. */
const ownerId = (k: NoticeKey) => `${k.milestone}|${k.stage}|${k.occurrence}|${k.unit}|${k.role}`;

/**
 * 发文登记 — the register of 文号 taken: one item per number (`DOCNO#<plan>#<series>#<year>`, the number
 * padded in the sort key), written with a conditional put, never changed. The highest is one Query.
 */
export class DocRegister {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async last(series: DocSeries): Promise<number> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.docNumbers(series.plan, series.series, series.year) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ProjectionExpression: 'seq',
      }),
    );
    return Number(out.Items?.[0]?.seq ?? 0);
  }

  async take(series: DocSeries, seq: number, owner: NoticeKey): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.docNumber(series.plan, series.series, series.year, seq),
            seq,
            owner: ownerId(owner),
            notice: owner,
          },
          // Free, or already this notice's (its sender took it, then died or failed before SES).
          ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': ownerId(owner) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(series: DocSeries): Promise<{ seq: number; owner: NoticeKey }[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.docNumbers(series.plan, series.series, series.year) },
      ConsistentRead: true,
    });
    return items.map((i) => ({ seq: Number(i.seq), owner: i.notice as NoticeKey }));
  }
}
