import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { applyWritesInTurn } from '../../../domain/calendar/calendarWrites.js';
import type { LinkVersions } from '../../../domain/links/ports.js';
import type { Unit } from '../../../domain/plan/schema.js';
import type { HolidayYear, UnitDeadline } from '../../../domain/ports.js';
import {
  type AuditRecord,
  type CalendarStore,
  type CalendarWrite,
  ConcurrentEditError,
  type StoredMilestone,
  type StoredPlan,
} from '../../../domain/ports.js';
import { auditPut, commitTransaction, type TransactionWrite } from './calendarEdit.js';
import { keys } from './keys.js';
import {
  changedMessage,
  conflict,
  type Guard,
  type MilestoneState,
  milestonePut,
  retireUpdate,
  sameData,
  stateOf,
} from './milestoneWrites.js';
import { loadHolidayYears, loadStoredPlan } from './planReader.js';
import { batchWrite, queryAll } from './query.js';

export interface DynamoCalendarStoreOptions {
  /**
   * How an edit and its audit record are written together (`commitEdit`): `transaction`, one
   * TransactWriteItems (DynamoDB); `write-ahead`, the audit record first, then the edit (dynalite, the
   * local stand-in, has no transactions): no edit ever exists without its record.
   * @default 'transaction'
   */
  readonly edits?: 'transaction' | 'write-ahead';
}

type Item = Record<string, unknown>;

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
    private readonly options: DynamoCalendarStoreOptions = {},
  ) {}

  loadPlan(planId: string): Promise<StoredPlan | undefined> {
    return loadStoredPlan(this.doc, this.table, planId);
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
    const { units, milestones, linkVersions: _linkVersions, officeHolidays: _office, ...meta } = plan;

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
      await this.doc.send(new UpdateCommand(retireUpdate(this.table, planId, milestoneId, expectedRevision)));
    } catch (error) {
      const now = await this.readMilestone(planId, milestoneId, error);
      if (now?.retired === true && Number(now.revision) === expectedRevision) return; // our own retried write
      throw conflict(error, changedMessage(milestoneId));
    }
  }

  async putUnit(planId: string, unit: Unit): Promise<void> {
    await this.doc.send(new PutCommand(await this.unitPut(planId, unit)));
  }

  /**
   * An edit and its audit record: one TransactWriteItems, every write under its own condition and the
   * record under `attribute_not_exists`, so either all land or none does. On the local stand-in
   * (`write-ahead`) the record is written first (conditional, never overwritten) and the edit after it:
   * no edit exists without its record. An edit then refused by its revision check gets a second record
   * saying so, so the trail never shows a refused edit as made; only a crash between the two writes
   * leaves a record of an edit that did not happen — the trail may say more than happened, never less.
   */
  async commitEdit(
    planId: string,
    writes: readonly CalendarWrite[],
    audit: AuditRecord,
  ): Promise<(number | undefined)[]> {
    if (this.options.edits === 'write-ahead') return this.commitWriteAhead(planId, writes, audit);
    const milestones = writes.some((w) => w.kind !== 'putUnit') ? await this.milestoneItems(planId) : new Map();
    const prepared: TransactionWrite[] = [];
    for (const write of writes) prepared.push(await this.prepare(planId, write, milestones));
    await commitTransaction(this.doc, prepared, auditPut(this.table, audit));
    return prepared.map((p) => p.revision);
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
      new UpdateCommand({ ...this.linkRotation(planId, unitId), ReturnValues: 'UPDATED_NEW' }),
    );
    return Number(out.Attributes?.version);
  }

  /** The Update that bumps a unit's link version (alone, or inside an edit's transaction). */
  private linkRotation(planId: string, unitId: string) {
    return {
      TableName: this.table,
      Key: keys.linkVersion(planId, unitId),
      UpdateExpression: 'SET version = if_not_exists(version, :one) + :one',
      ExpressionAttributeValues: { ':one': 1 },
    };
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    await this.doc.send(new PutCommand(auditPut(this.table, record)));
  }

  async listAudit(planId: string): Promise<AuditRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(planId) },
    });
    return items.map((i) => i.data as AuditRecord);
  }

  listHolidayYears(): Promise<HolidayYear[]> {
    return loadHolidayYears(this.doc, this.table);
  }

  /** The record first (the audit trail is append-only): no year changes without it. */
  async putHolidayYear(year: HolidayYear, audit: AuditRecord): Promise<void> {
    await this.appendAudit(audit);
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.holidayYear(year.year), data: year } }),
    );
  }

  /** One conditional Put of a milestone (milestoneWrites.ts says how it is guarded). */
  private async writeMilestone(
    planId: string,
    milestone: StoredMilestone,
    state: MilestoneState,
    guard: Guard,
    order: number,
  ): Promise<number> {
    const { put, revision } = milestonePut(this.table, planId, milestone, state, guard, order);
    try {
      await this.doc.send(new PutCommand(put));
      return revision;
    } catch (error) {
      // The SDK retries a write whose answer was lost; if the first attempt landed, the retry fails its
      // condition against our own item. That is a success, not someone else's edit.
      const now = await this.readMilestone(planId, milestone.id, error);
      if (now && now.retired !== true && Number(now.revision) === revision && sameData(now.data, put.Item?.data))
        return revision;
      const message =
        guard.kind === 'create' && state.kind !== 'retired'
          ? `milestone "${milestone.id}" already exists: someone else added it; reload and try again`
          : changedMessage(milestone.id);
      throw conflict(error, message);
    }
  }

  /** A unit's Put, keeping its place in the plan file (`order`). */
  private async unitPut(planId: string, unit: Unit) {
    const current = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': keys.plan(planId), ':sk': keys.unit(planId, unit.id).sk },
    });
    const order = current[0]?.order ?? Date.now();
    return { TableName: this.table, Item: { ...keys.unit(planId, unit.id), order, data: unit } };
  }

  /** One write of an edit as a transaction item, guarded exactly as its own method guards it. */
  private async prepare(
    planId: string,
    write: CalendarWrite,
    milestones: Map<string, MilestoneState>,
  ): Promise<TransactionWrite> {
    if (write.kind === 'putUnit') return { item: { Put: await this.unitPut(planId, write.unit) }, what: write.unit.id };
    if (write.kind === 'rotateLink')
      return { item: { Update: this.linkRotation(planId, write.unitId) }, what: write.unitId };
    if (write.kind === 'deleteMilestone') {
      return {
        item: { Update: retireUpdate(this.table, planId, write.milestoneId, write.expectedRevision) },
        what: write.milestoneId,
      };
    }
    const { milestone, expectedRevision } = write;
    const state = milestones.get(keys.milestone(planId, milestone.id).sk) ?? { kind: 'absent' };
    const guard: Guard =
      expectedRevision === undefined ? { kind: 'create' } : { kind: 'revision', expected: expectedRevision };
    const last = Math.max(-1, ...[...milestones.values()].map((s) => (s.kind === 'absent' ? -1 : s.order))) + 1;
    const order = state.kind === 'live' ? state.order : last;
    const { put, revision } = milestonePut(this.table, planId, milestone, state, guard, order);
    return { item: { Put: put }, revision, what: milestone.id };
  }

  /** The local path of `commitEdit`: the record first, then each write by its own guarded method. */
  private async commitWriteAhead(
    planId: string,
    writes: readonly CalendarWrite[],
    audit: AuditRecord,
  ): Promise<(number | undefined)[]> {
    await this.appendAudit(audit);
    let revisions: (number | undefined)[];
    try {
      revisions = await applyWritesInTurn(this, planId, writes);
    } catch (error) {
      if (!(error instanceof ConcurrentEditError)) throw error;
      await this.appendAudit({
        ...audit,
        id: `${audit.id}-refused`,
        action: `${audit.action} (refused: ${error.message})`,
      });
      throw error;
    }
    return revisions;
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
