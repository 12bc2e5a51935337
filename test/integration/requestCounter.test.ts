import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/aws/dynamo/keys.js';
import { queryAll } from '../../shared/adapters/aws/dynamo/query.js';
import { countRequests, type RequestCounter } from '../../sim/requestCounter.js';
import { realAdapters } from '../support/stack.js';

type Adapters = Awaited<ReturnType<typeof realAdapters>>;

describe('countRequests against dynalite', () => {
  let a: Adapters;
  let counter: RequestCounter;

  beforeAll(async () => {
    a = await realAdapters();
  });
  afterAll(() => {
    a.ddb.destroy();
    a.ses.destroy();
  });

  it('counts what the Document client sends, by DynamoDB operation, on the low-level client it wraps', async () => {
    counter = countRequests(a.ddb);
    const submission = { plan: 'p', milestone: 'm', unit: 'u1', at: 1, by: 'cli:test' };
    expect(await a.submissions.record(submission)).toEqual({ recorded: true, submission: { ...submission, seq: 1 } });
    // The second record reads the unit's submissions, finds the first one standing and writes nothing.
    expect((await a.submissions.record(submission)).recorded).toBe(false);
    expect(await a.submissions.listForMilestone('p', 'm')).toHaveLength(1);

    expect(counter.byCommand()).toEqual({ PutItem: 1, Query: 3 });
    expect(counter.total()).toBe(4);
    expect(counter.reads()).toBe(3);
    counter.detach();
  });

  it('counts each page of a paginated Query as a request', async () => {
    for (const unit of ['a', 'b', 'c', 'd', 'e'])
      await a.submissions.record({ plan: 'p', milestone: 'pages', unit, at: 1, by: 'cli:test' });
    counter = countRequests(a.ddb);
    const items = await queryAll(a.doc, {
      TableName: a.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.submissions('p', 'pages') },
      Limit: 2,
    });
    expect(items).toHaveLength(5);
    // Pages of 2 + 2 + 1: the short last page ends the Query.
    expect(counter.byCommand().Query).toBe(3);
    expect(counter.reads()).toBe(counter.total());
    counter.detach();
  });

  it('counts every HTTP attempt: a request the SDK retries counts twice', async () => {
    counter = countRequests(a.ddb);
    let injected = 0;
    // Below the counter (deserialize runs inside finalizeRequest): the first attempt fails as throttled
    // before it reaches dynalite, and the SDK's standard retry sends it again.
    a.ddb.middlewareStack.add(
      (next) => async (args) => {
        if (injected++ === 0) {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
            name: 'ThrottlingException',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'injectThrottleOnce' },
    );
    try {
      expect(await a.submissions.listForMilestone('p', 'm')).toHaveLength(1);
    } finally {
      a.ddb.middlewareStack.remove('injectThrottleOnce');
    }
    expect(injected).toBe(2);
    expect(counter.byCommand()).toEqual({ Query: 2 });
    counter.detach();
  });

  it('resets, and counts nothing once detached', async () => {
    counter = countRequests(a.ddb);
    await a.submissions.listForMilestone('p', 'm');
    expect(counter.total()).toBe(1);
    counter.reset();
    expect(counter.total()).toBe(0);
    expect(counter.byCommand()).toEqual({});
    counter.detach();
    await a.submissions.listForMilestone('p', 'm');
    expect(counter.total()).toBe(0);
  });

  it('keeps two counters on one client apart', async () => {
    const first = countRequests(a.ddb);
    await a.submissions.listForMilestone('p', 'm');
    const second = countRequests(a.ddb);
    await a.submissions.listForMilestone('p', 'm');
    expect([first.total(), second.total()]).toEqual([2, 1]);
    first.detach();
    second.detach();
  });
});
