import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ConcurrentEditError, type StoredMilestone } from '../../../domain/ports.js';
import { keys } from './keys.js';

type Item = Record<string, unknown>;

/** A conditional Put, as PutItem and a transaction's Put both take it. */
export interface ConditionalPut {
  readonly TableName: string;
  readonly Item: Item;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeValues?: Item;
}

/** A conditional Update, as UpdateItem and a transaction's Update both take it. */
export interface ConditionalUpdate {
  readonly TableName: string;
  readonly Key: Item;
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

/** What the table holds under a milestone's key. */
export type MilestoneState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'live' | 'retired'; readonly revision: number; readonly order: number };

/** How a milestone write is guarded: against the state the writer read. */
export type Guard =
  /** Only if no live milestone has the id (a retired one's revision is carried on). */
  | { readonly kind: 'create' }
  /** Only if the milestone is live at exactly this revision. */
  | { readonly kind: 'revision'; readonly expected: number }
  /** Only if the milestone is live at one of these revisions (savePlan: unchanged, or the bump it makes). */
  | { readonly kind: 'revisions'; readonly expected: readonly [number, number] };

/**
 * The conditional Put of one milestone (alone, or inside a transaction). Created over a tombstone, it
 * continues from the tombstone's revision (so the written revision may be higher than the one given);
 * the condition then holds the tombstone at the revision read, so two concurrent re-adds cannot both
 * succeed.
 */
export function milestonePut(
  table: string,
  planId: string,
  milestone: StoredMilestone,
  state: MilestoneState,
  guard: Guard,
  order: number,
): { put: ConditionalPut; revision: number } {
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
  const put = {
    TableName: table,
    Item: { ...keys.milestone(planId, milestone.id), order, revision, data },
    ...condition,
  };
  return { put, revision };
}

/** The conditional Update that retires a milestone into a tombstone, if it is still at `expectedRevision`. */
export function retireUpdate(
  table: string,
  planId: string,
  milestoneId: string,
  expectedRevision: number,
): ConditionalUpdate {
  return {
    TableName: table,
    Key: keys.milestone(planId, milestoneId),
    UpdateExpression: 'SET retired = :true REMOVE #data',
    ConditionExpression: 'revision = :expected AND attribute_not_exists(retired)',
    ExpressionAttributeNames: { '#data': 'data' },
    ExpressionAttributeValues: { ':expected': expectedRevision, ':true': true },
  };
}

export function stateOf(item: Item): MilestoneState {
  if (item.revision === undefined) return { kind: 'absent' };
  return {
    kind: item.retired === true ? 'retired' : 'live',
    revision: Number(item.revision),
    order: Number(item.order),
  };
}

export const changedMessage = (milestoneId: string) =>
  `milestone "${milestoneId}" was changed by someone else; reload and try again`;

export function conflict(error: unknown, message: string): unknown {
  return error instanceof ConditionalCheckFailedException ? new ConcurrentEditError(message, { cause: error }) : error;
}

/** The same milestone data, whatever order DynamoDB gives the map keys back in. */
export function sameData(a: unknown, b: unknown): boolean {
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
