import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import { silentLog } from '../../shared/domain/log.js';
import { parsePlan } from '../../shared/domain/plan/validate.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import type { ApiEvent } from '../../shared/handlers/http.js';
import { makeSubmissionsApiHandler } from '../../shared/handlers/submissionsApiHandler.js';
import { testPortal } from '../support/fakes.js';
import { endpoints, realAdapters } from '../support/stack.js';

const seed = parsePlan(JSON.parse(readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8')));
const PLAN = seed.id;
const ROUTE = 'POST /plans/{plan}/submissions';

/** The API Gateway HTTP API (payload 2.0) event of an IAM-signed `POST /plans/{plan}/submissions`. */
function submissionEvent(body: unknown, plan = PLAN): ApiEvent {
  const rawPath = `/plans/${plan}/submissions`;
  return {
    version: '2.0',
    routeKey: ROUTE,
    rawPath,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'duban-cli/0.1.0',
      'x-amz-date': '20210528T083000Z',
    },
    pathParameters: { plan },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method: 'POST',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'duban-cli/0.1.0',
      },
      requestId: 'Lz4wEiK3pAMEWcR=',
      routeKey: ROUTE,
      stage: '$default',
      time: '28/May/2021:08:30:00 +0000',
      timeEpoch: Date.parse('2021-05-28T16:30:00+08:00'),
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLEKEY',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLEID:pengjiang-clerk',
          cognitoIdentity: null,
          principalOrgId: 'o-example',
          userArn: 'arn:aws:sts::123456789012:assumed-role/DubanSubmitter/pengjiang-clerk',
          userId: 'AROAEXAMPLEID:pengjiang-clerk',
        },
      },
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const json = (result: { body?: string }) => JSON.parse(result.body ?? 'null');
const onTime = {
  milestone: 'district-plans',
  unit: 'pengjiang',
  at: '2021-05-28T16:30:00+08:00',
  reason: '5月28日收到纸质文件',
  ref: '蓬府〔2021〕12号',
};
/** The IAM caller of the events below: every submission through the API is by it. */
const CALLER = 'arn:aws:sts::123456789012:assumed-role/DubanSubmitter/pengjiang-clerk';
/** Recorded on 1 June at noon (the clock of `prepare`), stated as 28 May: backdated, with its reason. */
const stored28May = () => {
  const { reason, ...rest } = onTime;
  return {
    ...rest,
    plan: PLAN,
    at: Date.parse(onTime.at),
    seq: 1,
    by: CALLER,
    backdated: { reason, recordedAt: Date.parse('2021-06-01T12:00:00+08:00') },
  };
};

/** The seed plan imported into a fresh table; the clock on 1 June 2021, noon in Jiangmen. */
async function prepare() {
  const adapters = await realAdapters();
  const clock = new VirtualClock(Date.parse('2021-06-01T12:00:00+08:00'));
  await importPlan({ ...adapters, schedules: new LocalScheduleStore(), clock }, seed, 'test');
  const schedules = new LocalScheduleStore();
  const deps = { ...adapters, schedules, clock, log: silentLog, portal: testPortal() };
  const handler = makeSubmissionsApiHandler(deps);
  const stored = () => adapters.submissions.listForMilestone(PLAN, 'district-plans');
  return { ...adapters, deps, schedules, clock, handler, stored };
}

describe('submissions API', () => {
  it('records a first submission: 201 with what was stored', async () => {
    // Prepare
    const { handler, stored } = await prepare();

    // Act
    const result = await handler(submissionEvent(onTime));

    // Assess
    const submission = stored28May();
    expect(result.statusCode).toBe(201);
    expect(json(result)).toEqual({ recorded: true, submission });
    expect(await stored()).toEqual([submission]);
  });

  it('answers a repeat with 200 and the submission already stored, which stays the one that counts', async () => {
    // Prepare
    const { handler, stored } = await prepare();
    await handler(submissionEvent(onTime));

    // Act
    const result = await handler(submissionEvent({ ...onTime, at: '2021-06-01T10:00:00+08:00', ref: '补报' }));

    // Assess
    const first = stored28May();
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ recorded: false, submission: first });
    expect(await stored()).toEqual([first]);
  });

  it('dates a submission without `at` at the time it is received', async () => {
    // Prepare
    const { handler, clock } = await prepare();

    // Act
    const result = await handler(submissionEvent({ milestone: 'district-plans', unit: 'jianghai' }));

    // Assess
    expect(result.statusCode).toBe(201);
    expect(json(result).submission).toEqual({
      plan: PLAN,
      milestone: 'district-plans',
      unit: 'jianghai',
      at: clock.now(),
      seq: 1,
      by: CALLER,
    });
  });

  it('refuses a past time without a reason (422), recording nothing', async () => {
    // Prepare
    const { handler, stored } = await prepare();
    const { reason: _reason, ...withoutReason } = onTime;

    // Act
    const result = await handler(submissionEvent(withoutReason));

    // Assess
    expect(result.statusCode).toBe(422);
    expect(json(result).errors[0].message).toMatch(/is in the past: a delivery recorded after the fact needs a reason/);
    expect(await stored()).toEqual([]);
  });

  it.each([
    [
      'an `at` without an offset',
      submissionEvent({ ...onTime, at: '2021-05-28 16:30' }),
      400,
      [{ path: 'at', message: 'must be an ISO time with an offset, e.g. 2021-05-28T16:30:00+08:00' }],
    ],
    [
      'a plan in the body as well as in the path',
      submissionEvent({ ...onTime, plan: 'other-plan' }),
      400,
      [{ path: 'plan', message: 'comes from the URL path; remove it from the body' }],
    ],
    [
      'a milestone the plan does not have',
      submissionEvent({ ...onTime, milestone: 'no-such-milestone' }),
      422,
      [{ path: 'milestone', message: 'plan "jiangmen-2021" has no milestone "no-such-milestone"' }],
    ],
    [
      'a unit not responsible for the milestone',
      submissionEvent({ ...onTime, unit: 'gxj' }),
      422,
      [{ path: 'unit', message: 'unit "gxj" is not responsible for milestone "district-plans"' }],
    ],
    [
      'a plan that is not in the calendar',
      submissionEvent(onTime, 'nowhere-2021'),
      404,
      [{ path: 'plan', message: 'plan "nowhere-2021" is not in the calendar; import it first' }],
    ],
  ])('refuses %s, recording nothing', async (_, event, statusCode, errors) => {
    // Prepare
    const { handler, stored } = await prepare();

    // Act
    const result = await handler(event);

    // Assess
    expect(result.statusCode).toBe(statusCode);
    expect(json(result)).toEqual({ errors });
    expect(await stored()).toEqual([]);
  });

  it('answers an unexpected failure with a generic 500 and logs it without addresses', async () => {
    // Prepare
    const { deps, calendar } = await prepare();
    const entries: unknown[] = [];
    const log = {
      info() {},
      warn() {},
      error: (message: string, attributes?: unknown) => entries.push({ message, attributes }),
    };
    const broken = Object.create(calendar, {
      loadPlan: { value: async () => Promise.reject(new Error('cannot read unit office@pengjiang.example')) },
    });
    const handler = makeSubmissionsApiHandler({ ...deps, calendar: broken, log });

    // Act
    const result = await handler(submissionEvent(onTime));

    // Assess
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({
      errors: [{ path: '(server)', message: 'internal error (request Lz4wEiK3pAMEWcR=)' }],
    });
    expect(entries).toMatchObject([{ message: 'request failed', attributes: { error: { name: 'Error' } } }]);
    expect(JSON.stringify(entries)).toContain('cannot read unit <address>');
    expect(JSON.stringify(entries)).not.toContain('@pengjiang');
  });
});

describe('functions/submissions-api.ts (the Lambda entry)', () => {
  beforeEach(() => {
    vi.resetModules();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads its table from the environment and records a submission', async () => {
    // Prepare
    const { table, stored } = await prepare();
    vi.stubEnv('TABLE_NAME', table);
    vi.stubEnv('AWS_REGION', endpoints().region);
    vi.stubEnv('DYNAMODB_ENDPOINT', endpoints().dynamodbEndpoint);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    // What answering a unit needs; recording a submission answers nobody, so none of these is called.
    vi.stubEnv('SENDER_EMAIL', 'duban@example.gov.cn');
    vi.stubEnv('PORTAL_URL', 'https://portal.example.gov.cn/');
    vi.stubEnv('LINK_KEY_ID', 'arn:aws:kms:cn-north-1:111122223333:key/link');
    vi.stubEnv('DISPATCH_FUNCTION_ARN', 'arn:aws:lambda:cn-north-1:111122223333:function:duban-dispatch');
    vi.stubEnv('SCHEDULER_ROLE_ARN', 'arn:aws:iam::111122223333:role/duban-scheduler');
    vi.stubEnv('SCHEDULE_DLQ_ARN', 'arn:aws:sqs:cn-north-1:111122223333:duban-schedule-dlq');
    const { handler } = await import('../../functions/submissions-api.js');

    // Act
    const result = await handler(submissionEvent(onTime));

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    // The Lambda runs on the system clock: the backdating is recorded today.
    const expected = stored28May();
    expect(await stored()).toEqual([
      { ...expected, backdated: { ...expected.backdated, recordedAt: expect.any(Number) } },
    ]);
  });
});
