import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkVersions } from '../../../domain/links/ports.js';
import type { Unit } from '../../../domain/plan/schema.js';
import type { UnitDeadline } from '../../../domain/ports.js';
import {
  type AuditRecord,
  type CalendarStore,
  ConcurrentEditError,
  type StoredMilestone,
  type StoredPlan,
} from '../../../domain/ports.js';
import { keys } from './keys.js';
import { batchWrite, queryAll } from './query.js';

type Item = Record<string, unknown>;

/** What the table holds under a milestone's key. */
type MilestoneState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'live' | 'retired'; readonly revision: number; readonly order: number };

/** How a milestone write is guarded: against the state the writer read. */
type Guard =
  /** Only if no live milestone has the id (a retired one's revision is carried on). */
  | { readonly kind: 'create' }
  /** Only if the milestone is live at exactly this revision. */
  | { readonly kind: 'revision'; readonly expected: number }
  /** Only if the milestone is live at one of these revisions (savePlan: unchanged, or the bump it makes). */
  | { readonly kind: 'revisions'; readonly expected: readonly [number, number] };

/**
 * The calendar in one partition per plan: `META`, `UNIT#…` and `MS#…` items, each keeping its position
 * in the plan file (`order`) so a plan reads back as it was written.
 *
 * A removed milestone is not deleted: its item becomes a tombstone (`retired`, no data) that keeps its
 * last revision, and `loadPlan` leaves it out. When the id is added again, its revision carries on
 * from the tombstone's, so revisions of a milestone id never go back within a plan: a schedule, a
 * Scheduler retry or a DLQ replay made for the old milestone stays stale for dispatch forever.
 */
export class DynamoCalendarStore implements CalendarStore, LinkVersions {
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
        .filter((i) => String(i.sk).startsWith(prefix) && i.retired !== true)
        .sort((a, b) => Number(a.order) - Number(b.order));
    const units = byOrder('UNIT#').map((i) => i.data as Unit);
    const linkVersions = Object.fromEntries(
      items.filter((i) => String(i.sk).startsWith('LINK#')).map((i) => [String(i.sk).slice(5), Number(i.version)]),
    );
    const unitDates = new Map<string, Record<string, UnitDeadline>>();
    for (const i of items.filter((x) => String(x.sk).startsWith('DATE#'))) {
      const [, milestoneId, unitId] = String(i.sk).split('#') as [string, string, string];
      unitDates.set(milestoneId, { ...unitDates.get(milestoneId), [unitId]: i.data as UnitDeadline });
    }
    const milestones = byOrder('MS#').map((i) => {
      const data = i.data as Item;
      const own = unitDates.get(String(data.id));
      return { ...data, revision: Number(i.revision), ...(own ? { unitDeadlines: own } : {}) } as StoredMilestone;
    });
    return { ...(meta.data as Omit<StoredPlan, 'units' | 'milestones'>), units, milestones, linkVersions };
  }

  async listPlans(): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.planIndex().pk },
    });
    return items.map((i) => String(i.sk).slice('PLAN#'.length));
  }

  /**
   * Milestones first, each with a conditional write: one the table does not hold live is created, one it
   * holds at the given revision (or the one just before) is written in place, and a live one the plan no
   * longer lists becomes a tombstone. A milestone someone else moved meanwhile fails the whole save with
   * ConcurrentEditError before the meta and units are written. Then the meta and units (a batch), and
   * the plan's index entry last: a plan is listed only once it is whole.
   */
  async savePlan(plan: StoredPlan): Promise<void> {
    const existing = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.plan(plan.id) },
      ProjectionExpression: 'pk, sk, revision, retired, #o',
      ExpressionAttributeNames: { '#o': 'order' },
      ConsistentRead: true,
    });
    const states = new Map(existing.map((item) => [String(item.sk), stateOf(item)]));
    const { units, milestones, linkVersions: _linkVersions, ...meta } = plan;

    for (const [order, milestone] of milestones.entries()) {
      const state = states.get(keys.milestone(plan.id, milestone.id).sk) ?? { kind: 'absent' };
      const guard: Guard =
        state.kind === 'live'
          ? { kind: 'revisions', expected: [milestone.revision, milestone.revision - 1] }
          : { kind: 'create' };
      await this.writeMilestone(plan.id, milestone, state, guard, order);
    }
    const listed = new Set(milestones.map((m) => keys.milestone(plan.id, m.id).sk));
    for (const [sk, state] of states) {
      if (!sk.startsWith('MS#') || listed.has(sk) || state.kind !== 'live') continue;
      await this.deleteMilestone(plan.id, sk.slice('MS#'.length), state.revision);
    }

    const puts: Item[] = [
      { ...keys.meta(plan.id), data: meta },
      ...units.map((u, order) => ({ ...keys.unit(plan.id, u.id), order, data: u })),
    ];
    const keptUnits = new Set(puts.map((p) => p.sk));
    const deletes = existing
      .filter((e) => String(e.sk).startsWith('UNIT#') && !keptUnits.has(e.sk))
      .map((e) => ({ DeleteRequest: { Key: { pk: e.pk, sk: e.sk } } }));
    await batchWrite(this.doc, this.table, [...puts.map((Item) => ({ PutRequest: { Item } })), ...deletes]);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...keys.planIndexEntry(plan.id) } }));
  }

  async putMilestone(
    planId: string,
    milestone: StoredMilestone,
    expectedRevision: number | undefined,
  ): Promise<number> {
    const items = await this.milestoneItems(planId);
    const state = items.get(keys.milestone(planId, milestone.id).sk) ?? { kind: 'absent' };
    const guard: Guard =
      expectedRevision === undefined ? { kind: 'create' } : { kind: 'revision', expected: expectedRevision };
    // A new milestone goes last; an existing one keeps its place.
    const last = Math.max(-1, ...[...items.values()].map((s) => (s.kind === 'absent' ? -1 : s.order))) + 1;
    return this.writeMilestone(planId, milestone, state, guard, state.kind === 'live' ? state.order : last);
  }

  /** Leaves a tombstone with the last revision (see the class comment), if the milestone is still at it. */
  async deleteMilestone(planId: string, milestoneId: string, expectedRevision: number): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.milestone(planId, milestoneId),
          UpdateExpression: 'SET retired = :true REMOVE #data',
          ConditionExpression: 'revision = :expected AND attribute_not_exists(retired)',
          ExpressionAttributeNames: { '#data': 'data' },
          ExpressionAttributeValues: { ':expected': expectedRevision, ':true': true },
        }),
      );
    } catch (error) {
      const now = await this.readMilestone(planId, milestoneId, error);
      if (now?.retired === true && Number(now.revision) === expectedRevision) return; // our own retried write
      throw conflict(error, `milestone "${milestoneId}" was changed by someone else; reload and try again`);
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

  async setUnitDeadline(
    planId: string,
    milestoneId: string,
    unitId: string,
    date: Omit<UnitDeadline, 'revision'>,
  ): Promise<UnitDeadline> {
    const key = keys.unitDeadline(planId, milestoneId, unitId);
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET #rev = if_not_exists(#rev, :zero) + :one',
        ExpressionAttributeNames: { '#rev': 'revision' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const written: UnitDeadline = { ...date, revision: Number(out.Attributes?.revision) };
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET #data = :data',
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#data': 'data', '#rev': 'revision' },
        ExpressionAttributeValues: { ':data': written, ':rev': written.revision },
      }),
    );
    return written;
  }

  async linkVersion(planId: string, unitId: string): Promise<number> {
    const got = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.linkVersion(planId, unitId), ConsistentRead: true }),
    );
    return got.Item ? Number(got.Item.version) : 1;
  }

  async rotateLink(planId: string, unitId: string): Promise<number> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.linkVersion(planId, unitId),
        UpdateExpression: 'SET version = if_not_exists(version, :one) + :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.version);
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

  /**
   * One conditional Put of a milestone. Created over a tombstone, it continues from the tombstone's
   * revision (so the written revision may be higher than the one given); the condition then holds the
   * tombstone at the revision read, so two concurrent re-adds cannot both succeed.
   */
  private async writeMilestone(
    planId: string,
    milestone: StoredMilestone,
    state: MilestoneState,
    guard: Guard,
    order: number,
  ): Promise<number> {
    // A unit's own date is an item of its own (setUnitDeadline), never part of the milestone's data.
    const { revision: given, unitDeadlines: _own, ...data } = milestone;
    let revision = given;
    let condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> };
    if (guard.kind === 'create' && state.kind === 'retired') {
      revision = Math.max(given, state.revision + 1);
      condition = {
        ConditionExpression: 'retired = :true AND revision = :tombstone',
        ExpressionAttributeValues: { ':true': true, ':tombstone': state.revision },
      };
    } else if (guard.kind === 'create') {
      condition = { ConditionExpression: 'attribute_not_exists(pk)' };
    } else {
      const [first, second] = guard.kind === 'revision' ? [guard.expected, guard.expected] : guard.expected;
      condition = {
        ConditionExpression: '(revision = :first OR revision = :second) AND attribute_not_exists(retired)',
        ExpressionAttributeValues: { ':first': first, ':second': second },
      };
    }
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.milestone(planId, milestone.id), order, revision, data },
          ...condition,
        }),
      );
      return revision;
    } catch (error) {
      // The SDK retries a write whose answer was lost; if the first attempt landed, the retry fails its
      // condition against our own item. That is a success, not someone else's edit.
      const now = await this.readMilestone(planId, milestone.id, error);
      if (now && now.retired !== true && Number(now.revision) === revision && sameData(now.data, data)) return revision;
      const message =
        guard.kind === 'create' && state.kind !== 'retired'
          ? `milestone "${milestone.id}" already exists: someone else added it; reload and try again`
          : `milestone "${milestone.id}" was changed by someone else; reload and try again`;
      throw conflict(error, message);
    }
  }

  /** After a failed condition, the milestone's item as it now stands; any other failure is rethrown. */
  private async readMilestone(planId: string, milestoneId: string, error: unknown): Promise<Item | undefined> {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const got = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.milestone(planId, milestoneId), ConsistentRead: true }),
    );
    return got.Item;
  }

  /** Every milestone key of a plan, tombstones included (they hold revisions and places). */
  private async milestoneItems(planId: string): Promise<Map<string, MilestoneState>> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ms)',
      ExpressionAttributeValues: { ':pk': keys.plan(planId), ':ms': 'MS#' },
      ProjectionExpression: 'sk, revision, retired, #o',
      ExpressionAttributeNames: { '#o': 'order' },
      ConsistentRead: true,
    });
    return new Map(items.map((item) => [String(item.sk), stateOf(item)]));
  }
}

function stateOf(item: Item): MilestoneState {
  if (item.revision === undefined) return { kind: 'absent' };
  return {
    kind: item.retired === true ? 'retired' : 'live',
    revision: Number(item.revision),
    order: Number(item.order),
  };
}

function conflict(error: unknown, message: string): unknown {
  return error instanceof ConditionalCheckFailedException ? new ConcurrentEditError(message, { cause: error }) : error;
}

/** The same milestone data, whatever order DynamoDB gives the map keys back in. */
function sameData(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
