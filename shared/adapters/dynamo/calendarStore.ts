import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Unit } from '../../plan/schema.js';
import {
  type AuditRecord,
  type CalendarStore,
  ConcurrentEditError,
  type StoredMilestone,
  type StoredPlan,
} from '../../ports.js';
import { keys } from './keys.js';
import { batchWrite, queryAll } from './query.js';

type Item = Record<string, unknown>;

/**
 * The calendar in one partition per plan: `META`, `UNIT#…` and `MS#…` items, each keeping its position
 * in the plan file (`order`) so a plan reads back as it was written.
 */
export class DynamoCalendarStore implements CalendarStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async loadPlan(planId: string): Promise<StoredPlan | undefined> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.plan(planId) },
      ConsistentRead: true,
    });
    const meta = items.find((i) => i.sk === 'META');
    if (!meta) return undefined;
    const byOrder = (prefix: string) =>
      items
        .filter((i) => String(i.sk).startsWith(prefix))
        .sort((a, b) => Number(a.order) - Number(b.order))
        .map((i) => i.data as Item);
    const units = byOrder('UNIT#') as Unit[];
    const milestones = items
      .filter((i) => String(i.sk).startsWith('MS#'))
      .sort((a, b) => Number(a.order) - Number(b.order))
      .map((i) => ({ ...(i.data as Item), revision: Number(i.revision) }) as StoredMilestone);
    return { ...(meta.data as Omit<StoredPlan, 'units' | 'milestones'>), units, milestones };
  }

  async listPlans(): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.planIndex().pk },
    });
    return items.map((i) => String(i.sk).slice('PLAN#'.length));
  }

  async savePlan(plan: StoredPlan): Promise<void> {
    const existing = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.plan(plan.id) },
      ProjectionExpression: 'pk, sk',
    });
    const { units, milestones, ...meta } = plan;
    const puts: Item[] = [
      { ...keys.meta(plan.id), data: meta },
      ...units.map((u, order) => ({ ...keys.unit(plan.id, u.id), order, data: u })),
      ...milestones.map(({ revision, ...m }, order) => ({
        ...keys.milestone(plan.id, m.id),
        order,
        revision,
        data: m,
      })),
    ];
    const kept = new Set(puts.map((p) => p.sk));
    const deletes = existing
      .filter((e) => !kept.has(e.sk))
      .map((e) => ({ DeleteRequest: { Key: { pk: e.pk, sk: e.sk } } }));
    await batchWrite(this.doc, this.table, [...puts.map((Item) => ({ PutRequest: { Item } })), ...deletes]);
    // The index entry last: a plan is listed only once it is whole.
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.planIndexEntry(plan.id) } }));
  }

  async putMilestone(planId: string, milestone: StoredMilestone, expectedRevision: number | undefined): Promise<void> {
    const { revision, ...data } = milestone;
    const order = await this.milestoneOrder(planId, milestone.id);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.milestone(planId, milestone.id), order, revision, data },
          ...(expectedRevision === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'revision = :expected',
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        }),
      );
    } catch (error) {
      throw this.conflict(error, `milestone "${milestone.id}" was changed by someone else; reload and try again`);
    }
  }

  async deleteMilestone(planId: string, milestoneId: string, expectedRevision: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.milestone(planId, milestoneId),
          ConditionExpression: 'revision = :expected',
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
    } catch (error) {
      throw this.conflict(error, `milestone "${milestoneId}" was changed by someone else; reload and try again`);
    }
  }

  async putUnit(planId: string, unit: Unit): Promise<void> {
    const current = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': keys.plan(planId), ':sk': keys.unit(planId, unit.id).sk },
    });
    const order = current[0]?.order ?? Date.now();
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.unit(planId, unit.id), order, data: unit } }),
    );
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: keys.audit(record.plan), sk: `${new Date(record.at).toISOString()}#${record.id}`, data: record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listAudit(planId: string): Promise<AuditRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(planId) },
    });
    return items.map((i) => i.data as AuditRecord);
  }

  /** A new milestone goes last; an existing one keeps its place. */
  private async milestoneOrder(planId: string, milestoneId: string): Promise<number> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ms)',
      ExpressionAttributeValues: { ':pk': keys.plan(planId), ':ms': 'MS#' },
      ProjectionExpression: 'sk, #o',
      ExpressionAttributeNames: { '#o': 'order' },
    });
    const own = items.find((i) => i.sk === keys.milestone(planId, milestoneId).sk);
    if (own) return Number(own.order);
    return items.reduce((max, i) => Math.max(max, Number(i.order) + 1), 0);
  }

  private conflict(error: unknown, message: string): unknown {
    return error instanceof ConditionalCheckFailedException
      ? new ConcurrentEditError(message, { cause: error })
      : error;
  }
}
