import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Unit } from '../../../domain/plan/schema.js';
import type { CalendarStore, HolidayYear, StoredMilestone, StoredPlan, UnitDeadline } from '../../../domain/ports.js';
import { officeHolidaysOf } from '../../../domain/time/workdays.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

type Item = Record<string, unknown>;

/** A plan as stored: its meta, units (in file order), live milestones with their own dates, link versions. */
export async function loadStoredPlan(
  doc: DynamoDBDocumentClient,
  table: string,
  planId: string,
): Promise<StoredPlan | undefined> {
  // The office's 放假安排 beside the plan's partition, read at the same time: every ladder counts with them.
  const [items, years] = await Promise.all([
    queryAll(doc, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.plan(planId) },
      ConsistentRead: true,
    }),
    loadHolidayYears(doc, table),
  ]);
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
  const officeHolidays = officeHolidaysOf(years);
  return {
    ...(meta.data as Omit<StoredPlan, 'units' | 'milestones'>),
    units,
    milestones,
    linkVersions,
    ...(officeHolidays ? { officeHolidays } : {}),
  };
}

/** Every year's 放假安排 the office entered, oldest first (one Query of a small partition). */
export async function loadHolidayYears(doc: DynamoDBDocumentClient, table: string): Promise<HolidayYear[]> {
  const items = await queryAll(doc, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.holidays() },
    ConsistentRead: true,
  });
  return items.map((i) => i.data as HolidayYear).sort((a, b) => a.year - b.year);
}

/**
 * The calendar read only, for the functions that never edit it (dispatch, the workers): without the edit
 * path's code, which they would otherwise carry in their bundles.
 */
export class DynamoPlanReader implements Pick<CalendarStore, 'loadPlan'> {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  loadPlan(planId: string): Promise<StoredPlan | undefined> {
    return loadStoredPlan(this.doc, this.table, planId);
  }
}
