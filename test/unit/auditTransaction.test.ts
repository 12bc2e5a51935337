import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditWriteError } from '../../shared/adapters/aws/dynamo/calendarEdit.js';
import { DynamoCalendarStore } from '../../shared/adapters/aws/dynamo/calendarStore.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { applyEdit } from '../../shared/domain/calendar/applyEdit.js';
import { ConcurrentEditError } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan } from '../support/seed.js';

const TABLE = 'duban';
const plan = seedPlan();
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);

/** The plan's partition as DynamoDB holds it, every milestone at revision 1. */
const planItems = () => {
  const { units, milestones, ...meta } = plan;
  return [
    { pk: `PLAN#${plan.id}`, sk: 'META', data: meta },
    ...units.map((u, order) => ({ pk: `PLAN#${plan.id}`, sk: `UNIT#${u.id}`, order, data: u })),
    ...milestones.map((m, order) => ({ pk: `PLAN#${plan.id}`, sk: `MS#${m.id}`, order, revision: 1, data: m })),
  ];
};

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('an edit and its audit record on DynamoDB', () => {
  const clock = new VirtualClock(Date.parse('2021-05-20T09:00:00+08:00'));
  const deps = () => ({
    calendar: new DynamoCalendarStore(doc, TABLE, { edits: 'transaction' }),
    schedules: new LocalScheduleStore(),
    clock,
  });

  beforeEach(() => {
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: planItems() });
  });

  it('writes the milestone and its audit record in one TransactWriteItems, each under its condition', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await applyEdit(
      deps(),
      plan.id,
      { type: 'setDeadline', milestone: 'capacity-report', deadline: '2021-06-18' },
      'arn:aws:sts::123456789012:assumed-role/DubanAdmin/li.ming',
    );

    // Assess: the exact request, and no write outside it.
    expect(result.bumped).toEqual([{ milestone: 'capacity-report', from: 1, to: 2 }]);
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const input = call?.args[0].input;
    expect(input?.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    const milestone = plan.milestones.find((m) => m.id === 'capacity-report');
    const order = plan.milestones.findIndex((m) => m.id === 'capacity-report');
    expect(input?.TransactItems).toEqual([
      {
        Put: {
          TableName: TABLE,
          Item: {
            pk: `PLAN#${plan.id}`,
            sk: 'MS#capacity-report',
            order,
            revision: 2,
            data: { ...milestone, deadline: '2021-06-18' },
          },
          ConditionExpression: '(revision = :first OR revision = :second) AND attribute_not_exists(retired)',
          ExpressionAttributeValues: { ':first': 1, ':second': 1 },
        },
      },
      {
        Put: {
          TableName: TABLE,
          Item: {
            pk: `AUDIT#${plan.id}`,
            sk: expect.stringMatching(/^2021-05-20T01:00:00\.000Z#[0-9a-f]{8}$/),
            data: expect.objectContaining({
              actor: 'arn:aws:sts::123456789012:assumed-role/DubanAdmin/li.ming',
              action: 'setDeadline',
              target: 'milestone:capacity-report',
              before: milestone,
              after: { ...milestone, deadline: '2021-06-18' },
            }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('applies nothing when the audit record cannot be written: the transaction is cancelled whole', async () => {
    // Prepare: DynamoDB cancels the transaction on the audit Put's condition (the second item).
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    const schedules = new LocalScheduleStore();

    // Act
    const error = await applyEdit(
      { ...deps(), schedules },
      plan.id,
      { type: 'setDeadline', milestone: 'capacity-report', deadline: '2021-06-18' },
      'admin',
    ).catch((e: unknown) => e);

    // Assess: refused before any schedule moved; nothing was written outside the cancelled transaction.
    expect(error).toBeInstanceOf(AuditWriteError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(schedules.all()).toEqual([]);
  });

  it('says a concurrent edit won when the milestone condition fails', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));

    // Act
    const error = await applyEdit(deps(), plan.id, { type: 'pause', milestone: 'district-plans' }, 'admin').catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(ConcurrentEditError);
    expect((error as Error).message).toBe(
      'milestone "district-plans" was changed by someone else; reload and try again',
    );
  });

  it('retires a removed milestone, and changes a unit and rotates its link, inside the transaction as well', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await applyEdit(deps(), plan.id, { type: 'removeMilestone', milestone: 'annual-summary' }, 'admin');
    await applyEdit(
      deps(),
      plan.id,
      { type: 'setContacts', unit: 'pengjiang', email: 'new@pengjiang.example' },
      'admin',
    );

    // Assess
    const [removal, contacts] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems);
    expect(removal?.[0]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: `PLAN#${plan.id}`, sk: 'MS#annual-summary' },
        UpdateExpression: 'SET retired = :true REMOVE #data',
        ConditionExpression: 'revision = :expected AND attribute_not_exists(retired)',
        ExpressionAttributeNames: { '#data': 'data' },
        ExpressionAttributeValues: { ':expected': 1, ':true': true },
      },
    });
    expect(contacts?.[0]?.Put?.Item).toMatchObject({ sk: 'UNIT#pengjiang', data: { email: 'new@pengjiang.example' } });
    // A new address rotates the unit's personal link in the same transaction (the old mailbox loses access).
    expect(contacts?.[1]).toEqual({
      Update: {
        TableName: TABLE,
        Key: { pk: `PLAN#${plan.id}`, sk: 'LINK#pengjiang' },
        UpdateExpression: 'SET version = if_not_exists(version, :one) + :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    });
    expect(removal?.map((i) => Object.keys(i)[0])).toEqual(['Update', 'Put']);
    expect(removal?.[1]?.Put?.Item?.pk).toBe(`AUDIT#${plan.id}`);
    expect(contacts?.[2]?.Put?.Item?.pk).toBe(`AUDIT#${plan.id}`);
  });
});
