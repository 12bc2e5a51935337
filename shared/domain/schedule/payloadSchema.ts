import * as z from 'zod/mini';
import { SLUG, stageKinds } from '../plan/stages.js';

/**
 * What every schedule delivers to the dispatch function (Scheduler's `Target.Input`). zod/mini keeps
 * the dispatch bundle small: this, the environment and one address check are all it parses.
 */
export const schedulePayloadSchema = z.strictObject({
  plan: z.string().check(z.maxLength(40), z.regex(SLUG)),
  milestone: z.string().check(z.maxLength(40), z.regex(SLUG)),
  stage: z.enum(stageKinds),
  revision: z.int().check(z.minimum(1)),
  /** A unit's own ladder: the unit, and the revision of its own date the schedule was made for. */
  unit: z.optional(z.string().check(z.maxLength(40), z.regex(SLUG))),
  unitRevision: z.optional(z.int().check(z.minimum(1))),
  /** An operator's `fire`: this occurrence (its wall-clock time) now, though its time has not come. */
  occurrence: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/))),
});
