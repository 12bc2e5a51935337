import { readFileSync } from 'node:fs';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { silentLog } from '../../shared/domain/log.js';
import type { CalendarStore } from '../../shared/domain/ports.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { makeCalendarApiHandler } from '../../shared/handlers/calendarApiHandler.js';
import type { ApiEvent } from '../../shared/handlers/http.js';
import { realAdapters } from './stack.js';

/** Requests to the calendar function as API Gateway delivers them, and a calendar to send them to. */

export const seedText = readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8');
export const PLAN = 'jiangmen-2021';
export const ADMIN = 'arn:aws:sts::123456789012:assumed-role/DubanAdmin/li.ming';

export interface EventOptions {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** The body exactly as sent (not JSON-encoded here). */
  readonly rawBody?: string;
  readonly base64?: boolean;
  readonly userArn?: string;
}

/** An API Gateway HTTP API (payload 2.0) event for an IAM-signed request, as the calendar function receives it. */
export function apiEvent(routeKey: string, options: EventOptions = {}): ApiEvent {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '');
  const text = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const body = text !== undefined && options.base64 ? Buffer.from(text, 'utf8').toString('base64') : text;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query).toString(),
    headers: {
      'content-type': 'application/json',
      host: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'duban-cli/0.1.0',
      'x-amz-date': '20210401T000000Z',
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'duban-cli/0.1.0' },
      requestId: 'Kx3vDhJ2oAMEVbQ=',
      routeKey,
      stage: '$default',
      time: '31/Mar/2021:16:00:00 +0000',
      timeEpoch: Date.parse('2021-04-01T00:00:00+08:00'),
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLEKEY',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLEID:li.ming',
          cognitoIdentity: null,
          principalOrgId: 'o-example',
          userArn: options.userArn ?? ADMIN,
          userId: 'AROAEXAMPLEID:li.ming',
        },
      },
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: options.base64 ?? false,
  };
}

export const json = (result: { body?: string }) => JSON.parse(result.body ?? 'null');
export const deadlineOf = (milestone: string, deadline: unknown, options: EventOptions = {}) =>
  apiEvent('PUT /plans/{plan}/milestones/{milestone}/deadline', {
    params: { plan: PLAN, milestone },
    body: { deadline },
    ...options,
  });

/** A fresh table, an empty local schedule store and a clock on 1 April 2021, 00:00 in Jiangmen. */
export async function prepare(options: { imported?: boolean; calendar?: (real: CalendarStore) => CalendarStore } = {}) {
  const adapters = await realAdapters();
  const schedules = new LocalScheduleStore();
  const clock = new VirtualClock(Date.parse('2021-04-01T00:00:00+08:00'));
  const calendar = options.calendar ? options.calendar(adapters.calendar) : adapters.calendar;
  const handler = makeCalendarApiHandler({ ...adapters, calendar, schedules, clock, log: silentLog });
  if (options.imported !== false) await handler(apiEvent('POST /plans', { rawBody: seedText }));
  const snapshot = async () => ({
    plan: json(await handler(apiEvent('GET /plans/{plan}', { params: { plan: PLAN } }))),
    schedules: await schedules.list(PLAN),
  });
  return { ...adapters, schedules, clock, handler, snapshot };
}
