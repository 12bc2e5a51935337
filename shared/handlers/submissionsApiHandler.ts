import { z } from 'zod';
import type { Log } from '../domain/log.js';
import { slugSchema } from '../domain/plan/schema.js';
import { type SubmitDeps, submissionInputSchema, submitDeliverable } from '../domain/submissions/submit.js';
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

const voidParams = z.object({ plan: slugSchema, milestone: slugSchema, unit: slugSchema });
const voidBody = z.strictObject({ reason: z.string().trim().min(1, 'must say why').max(500) });

export interface SubmissionsApiDeps extends SubmitDeps {
  readonly log: Log;
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
      const ids = parseOr400(voidParams, event.pathParameters ?? {}, '(path)');
      const { reason } = parseOr400(voidBody, readJsonObject(event));
      const voided = await voidSubmission(deps, { ...ids, reason }, actorOf(event));
      deps.log.info('submission voided', { plan: ids.plan, milestone: ids.milestone });
      return jsonResponse(200, { voided });
    },
  });
}
