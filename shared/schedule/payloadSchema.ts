import { z } from 'zod';
import { slugSchema, stageKindSchema } from '../plan/schema.js';

/** What every schedule delivers to the dispatch function (Scheduler's `Target.Input`). */
export const schedulePayloadSchema = z.strictObject({
  plan: slugSchema,
  milestone: slugSchema,
  stage: stageKindSchema,
  revision: z.number().int().min(1),
});
