import { z } from 'zod';
import { contactSchema, dateSchema, emailSchema, milestoneSchema, slugSchema } from '../plan/schema.js';

/** Every change an admin can make to a stored calendar; the API, the CLI and scenarios share it. */
export const calendarEditSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setDeadline'), milestone: slugSchema, deadline: dateSchema }),
  /** One unit's own date for a milestone: only its ladder moves. */
  z.strictObject({ type: z.literal('setUnitDeadline'), milestone: slugSchema, unit: slugSchema, deadline: dateSchema }),
  z.strictObject({ type: z.literal('addMilestone'), milestone: milestoneSchema }),
  z.strictObject({ type: z.literal('removeMilestone'), milestone: slugSchema }),
  z.strictObject({ type: z.literal('addResponsible'), milestone: slugSchema, unit: slugSchema }),
  z.strictObject({ type: z.literal('removeResponsible'), milestone: slugSchema, unit: slugSchema }),
  z.strictObject({
    type: z.literal('setContacts'),
    unit: slugSchema,
    email: emailSchema.optional(),
    head: contactSchema.optional(),
    supervisor: contactSchema.optional(),
  }),
  z.strictObject({ type: z.literal('pause'), milestone: slugSchema }),
  z.strictObject({ type: z.literal('resume'), milestone: slugSchema }),
]);
export type CalendarEdit = z.infer<typeof calendarEditSchema>;
