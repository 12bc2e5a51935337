import { z } from 'zod';
import { buildBoard } from '../domain/board/board.js';
import { applyEdit, type CalendarDeps } from '../domain/calendar/applyEdit.js';
import { type CalendarEdit, calendarEditSchema } from '../domain/calendar/editSchema.js';
import { importPlan } from '../domain/calendar/importPlan.js';
import type { Log } from '../domain/log.js';
import { milestoneSchema, slugSchema } from '../domain/plan/schema.js';
import { parsePlan } from '../domain/plan/validate.js';
import type { AcknowledgementStore, NoticeLedger, SubmissionStore } from '../domain/ports.js';
import {
  type ApiEvent,
  type ApiResult,
  actorOf,
  HttpError,
  jsonResponse,
  makeRouter,
  notFound,
  parseOr400,
  type Route,
  readJsonBody,
  readJsonObject,
  rejectPathKeysInBody,
} from './http.js';

/** The calendar function: edits go through the calendar and reconcile; the board reads submissions and notices. */
export interface CalendarApiDeps extends CalendarDeps {
  readonly submissions: SubmissionStore & AcknowledgementStore;
  readonly ledger: NoticeLedger;
  readonly log: Log;
}

const planParams = z.object({ plan: slugSchema });
const milestoneParams = z.object({ plan: slugSchema, milestone: slugSchema });
const unitParams = z.object({ plan: slugSchema, unit: slugSchema });
const responsibleParams = z.object({ plan: slugSchema, milestone: slugSchema, unit: slugSchema });
/**
 * Strict: `?dryrun=true` (a typo) must not fall through to a real import. `dryRun` is the only parameter.
 */
const importQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).optional() });

const params = <T extends z.ZodType>(schema: T, event: ApiEvent): z.infer<T> =>
  parseOr400(schema, event.pathParameters ?? {}, '(path)');

/** Applies one edit as the caller; a refused edit throws before anything is written. */
async function edit(deps: CalendarApiDeps, event: ApiEvent, plan: string, change: CalendarEdit, statusCode = 200) {
  const result = await applyEdit(deps, plan, change, actorOf(event));
  deps.log.info('calendar edited', {
    plan,
    type: change.type,
    bumped: result.bumped.length,
    scheduleWrites: result.reconcile.writes,
  });
  return jsonResponse(statusCode, result);
}

/** An edit of one milestone named in the path, with the body's fields (if the route takes any). */
function milestoneEdit(
  type: 'setDeadline' | 'removeMilestone' | 'pause' | 'resume',
  withBody: boolean,
): Route<CalendarApiDeps> {
  return async (deps, event) => {
    const { plan, milestone } = params(milestoneParams, event);
    const body = withBody ? readJsonObject(event) : {};
    rejectPathKeysInBody(body, ['type', 'milestone']);
    return edit(deps, event, plan, parseOr400(calendarEditSchema, { ...body, type, milestone }));
  };
}

const routes: Record<string, Route<CalendarApiDeps>> = {
  /** Import or re-import a plan; `?dryRun=true` answers the diff and writes nothing. */
  'POST /plans': async (deps, event) => {
    const { dryRun } = parseOr400(importQuery, event.queryStringParameters ?? {}, '(query)');
    const plan = parsePlan(readJsonBody(event));
    const result = await importPlan(deps, plan, actorOf(event), { dryRun: dryRun === 'true' });
    deps.log.info('plan imported', {
      plan: plan.id,
      dryRun: dryRun === 'true',
      scheduleWrites: result.reconcile?.writes,
    });
    const created = dryRun !== 'true' && result.diff.isNew;
    return jsonResponse(created ? 201 : 200, { plan: plan.id, dryRun: dryRun === 'true', ...result });
  },

  'GET /plans/{plan}': async (deps, event) => {
    const { plan } = params(planParams, event);
    const stored = await deps.calendar.loadPlan(plan);
    if (!stored) throw notFound('plan', `plan "${plan}" is not in the calendar`);
    return jsonResponse(200, stored);
  },

  'PUT /plans/{plan}/milestones/{milestone}/deadline': milestoneEdit('setDeadline', true),

  /** One unit's own date (`{deadline}`), e.g. an extension the office grants without a request. */
  'PUT /plans/{plan}/milestones/{milestone}/units/{unit}/deadline': async (deps, event) => {
    const { plan, milestone, unit } = params(responsibleParams, event);
    const body = readJsonObject(event);
    rejectPathKeysInBody(body, ['type', 'milestone', 'unit']);
    const change = parseOr400(calendarEditSchema, { ...body, type: 'setUnitDeadline', milestone, unit });
    return edit(deps, event, plan, change);
  },

  /** The body is the milestone, validated like one in a plan file (paths relative to it). */
  'POST /plans/{plan}/milestones': async (deps, event) => {
    const { plan } = params(planParams, event);
    const milestone = parseOr400(milestoneSchema, readJsonBody(event));
    return edit(deps, event, plan, { type: 'addMilestone', milestone }, 201);
  },

  'DELETE /plans/{plan}/milestones/{milestone}': milestoneEdit('removeMilestone', false),
  'POST /plans/{plan}/milestones/{milestone}/pause': milestoneEdit('pause', false),
  'POST /plans/{plan}/milestones/{milestone}/resume': milestoneEdit('resume', false),

  /** Makes the unit in the body (`{unit}`) responsible for the milestone: 201, its revision moves. */
  'POST /plans/{plan}/milestones/{milestone}/responsible': async (deps, event) => {
    const { plan, milestone } = params(milestoneParams, event);
    const body = readJsonObject(event);
    rejectPathKeysInBody(body, ['type', 'milestone']);
    const change = parseOr400(calendarEditSchema, { ...body, type: 'addResponsible', milestone });
    return edit(deps, event, plan, change, 201);
  },

  /** Releases the unit from the milestone; refused (400) when it is the last one responsible. */
  'DELETE /plans/{plan}/milestones/{milestone}/responsible/{unit}': async (deps, event) => {
    const { plan, milestone, unit } = params(responsibleParams, event);
    return edit(deps, event, plan, { type: 'removeResponsible', milestone, unit });
  },

  /** Contacts of a unit: `{email?, head?, supervisor?}`, at least one. */
  'PUT /plans/{plan}/units/{unit}': async (deps, event) => {
    const { plan, unit } = params(unitParams, event);
    const body = readJsonObject(event);
    rejectPathKeysInBody(body, ['type', 'unit']);
    if (Object.keys(body).length === 0) {
      throw new HttpError(400, [{ path: '(body)', message: 'must set at least one of email, head, supervisor' }]);
    }
    return edit(deps, event, plan, parseOr400(calendarEditSchema, { ...body, type: 'setContacts', unit }));
  },

  /** Every import and edit, oldest first. Every imported plan has at least its import record. */
  'GET /plans/{plan}/history': async (deps, event) => {
    const { plan } = params(planParams, event);
    const history = await deps.calendar.listAudit(plan);
    if (history.length === 0) throw notFound('plan', `plan "${plan}" has no history: it was never imported`);
    return jsonResponse(200, { plan, history });
  },

  /** 督办看板: one row per milestone and responsible unit, as of now (a deadline still ahead is pending). */
  'GET /plans/{plan}/board': async (deps, event) => {
    const { plan } = params(planParams, event);
    const stored = await deps.calendar.loadPlan(plan);
    if (!stored) throw notFound('plan', `plan "${plan}" is not in the calendar`);
    return jsonResponse(200, { plan, rows: await buildBoard(stored, deps, deps.clock.now()) });
  },
};

/**
 * The calendar function behind the admin API's plan routes (see infra/constructs/admin-api.ts). The same
 * function runs in Lambda and in tests; only `deps` differ. Status codes: see http.ts.
 */
export function makeCalendarApiHandler(deps: CalendarApiDeps): (event: ApiEvent) => Promise<ApiResult> {
  return makeRouter(deps, routes);
}
