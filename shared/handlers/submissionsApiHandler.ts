import { z } from 'zod';
import type { Log } from '../domain/log.js';
import { dateSchema, slugSchema } from '../domain/plan/schema.js';
import { approveExtension, type ExtensionDeps, rejectExtension } from '../domain/review/extensions.js';
import { acceptSubmission, returnSubmission } from '../domain/review/review.js';
import { submissionInputSchema, submitDeliverable } from '../domain/submissions/submit.js';
import { voidSubmission } from '../domain/submissions/voidSubmission.js';
import {
  type ApiEvent,
  type ApiResult,
  actorOf,
  jsonResponse,
  makeRouter,
  parseOr400,
  readJsonObject,
  rejectPathKeysInBody,
} from './http.js';

const unitParams = z.object({ plan: slugSchema, milestone: slugSchema, unit: slugSchema });
const reasonBody = z.strictObject({ reason: z.string().trim().min(1, 'must say why').max(500) });
const approveBody = z.strictObject({ deadline: dateSchema.optional() });

/** Submissions, their reviews and the decisions on extension requests: the clerk's routes. */
export interface SubmissionsApiDeps extends ExtensionDeps {
  readonly log: Log;
}

/** The unit named in the path, and a body parsed with `schema` (an empty body is `{}`). */
function unitRequest<T extends z.ZodType>(event: ApiEvent, schema: T) {
  const ids = parseOr400(unitParams, event.pathParameters ?? {}, '(path)');
  const body = event.body ? readJsonObject(event) : {};
  return { ids, body: parseOr400(schema, body) as z.infer<T> };
}

/**
 * 报送 through the admin API: `POST /plans/{plan}/submissions` with `{milestone, unit, at?, ref?}`.
 * - 201 `{recorded: true, submission}` for the first submission of a unit for a milestone;
 * - 200 `{recorded: false, submission}` with the one already stored when it had submitted before. The
 *   first delivery counts (a second must not move a late unit back to on time), and answering a repeat
 *   with success lets a client retry a request whose answer it lost without treating that as a failure.
 * Other statuses: see http.ts (400 bad input such as an `at` without offset, 404 plan not in the
 * calendar, 422 milestone unknown or unit not responsible for it).
 */
export function makeSubmissionsApiHandler(deps: SubmissionsApiDeps): (event: ApiEvent) => Promise<ApiResult> {
  return makeRouter(deps, {
    'POST /plans/{plan}/submissions': async (_, event) => {
      const body = readJsonObject(event);
      rejectPathKeysInBody(body, ['plan']);
      // The path's plan goes in unchecked: the schema validates it with the body's fields.
      const input = parseOr400(submissionInputSchema, { ...body, plan: event.pathParameters?.plan });
      const outcome = await submitDeliverable(deps, input, { by: actorOf(event) });
      deps.log.info('submission', { plan: input.plan, milestone: input.milestone, recorded: outcome.recorded });
      return outcome.recorded
        ? jsonResponse(201, { recorded: true, submission: outcome.submission })
        : jsonResponse(200, { recorded: false, submission: outcome.existing });
    },

    /** 作废: `{reason}`; the submission stays on record, voided, and the unit's ladder resumes. 422 if none counts. */
    'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/void': async (_, event) => {
      const { ids, body } = unitRequest(event, reasonBody);
      const voided = await voidSubmission(deps, { ...ids, reason: body.reason }, actorOf(event));
      deps.log.info('submission voided', { plan: ids.plan, milestone: ids.milestone });
      return jsonResponse(200, { voided });
    },

    /** 办结: 200 with the reviewed submission and whether the unit was told. */
    'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/accept': async (_, event) => {
      const { ids } = unitRequest(event, z.strictObject({}));
      const out = await acceptSubmission(deps, ids, { by: actorOf(event) });
      deps.log.info('submission accepted', { plan: ids.plan, milestone: ids.milestone, notice: out.notice });
      return jsonResponse(200, out);
    },

    /** 退回 `{reason}`: 200 with the unit's new short deadline and the schedules that followed. */
    'POST /plans/{plan}/milestones/{milestone}/submissions/{unit}/return': async (_, event) => {
      const { ids, body } = unitRequest(event, reasonBody);
      const out = await returnSubmission(deps, ids, body.reason, { by: actorOf(event) });
      deps.log.info('submission returned', { plan: ids.plan, milestone: ids.milestone, notice: out.notice });
      return jsonResponse(200, out);
    },

    /** 延期批准 `{deadline?}`: the unit's own date (the one asked for, or the body's). */
    'POST /plans/{plan}/milestones/{milestone}/extensions/{unit}/approve': async (_, event) => {
      const { ids, body } = unitRequest(event, approveBody);
      const out = await approveExtension(deps, ids, { by: actorOf(event) }, body.deadline);
      deps.log.info('extension approved', { plan: ids.plan, milestone: ids.milestone, notice: out.notice });
      return jsonResponse(200, out);
    },

    /** 不予延期 `{reason}`. */
    'POST /plans/{plan}/milestones/{milestone}/extensions/{unit}/reject': async (_, event) => {
      const { ids, body } = unitRequest(event, reasonBody);
      const out = await rejectExtension(deps, ids, { by: actorOf(event) }, body.reason);
      deps.log.info('extension rejected', { plan: ids.plan, milestone: ids.milestone, notice: out.notice });
      return jsonResponse(200, out);
    },
  });
}
