import { z } from 'zod';
import { calendarEditSchema } from '../shared/domain/calendar/editSchema.js';
import { slugSchema } from '../shared/domain/plan/schema.js';
import { submissionInputSchema } from '../shared/domain/submissions/submit.js';
import { parseInstant } from '../shared/domain/time/wallClock.js';

const instantSchema = z.string().transform((s, ctx) => {
  try {
    return parseInstant(s);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const submitSchema = z.strictObject({
  milestone: slugSchema,
  unit: slugSchema,
  /** The same rules as the submissions API: the engine stores it without checking again. */
  ref: submissionInputSchema.shape.ref,
});

/**
 * A scenario event: `{"at": ISO, "submit": {...}}`, or `{"at": ISO, "<edit>": {...}}` for each calendar
 * edit (`setDeadline`, `addResponsible`, `pause`, …), applied through the same path as an admin's edit.
 */
const editTypes = calendarEditSchema.options.map((o) => o.shape.type.value);

export const scenarioEventSchema = z
  .object({ at: instantSchema })
  .catchall(z.unknown())
  .transform((raw, ctx) => {
    const { at, ...rest } = raw;
    const keys = Object.keys(rest);
    if (keys.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one action besides "at" (submit, ${editTypes.join(', ')})`,
      });
      return z.NEVER;
    }
    const [kind] = keys as [string];
    if (kind === 'submit') {
      const submit = submitSchema.safeParse(rest.submit);
      if (!submit.success) {
        for (const issue of submit.error.issues) ctx.addIssue({ ...issue, path: ['submit', ...issue.path] } as never);
        return z.NEVER;
      }
      return { at, kind: 'submit' as const, submit: submit.data };
    }
    const edit = calendarEditSchema.safeParse({ type: kind, ...(rest[kind] as object) });
    if (!edit.success) {
      for (const issue of edit.error.issues) ctx.addIssue({ ...issue, path: [kind, ...issue.path] } as never);
      return z.NEVER;
    }
    return { at, kind: 'edit' as const, edit: edit.data };
  });

export const scenarioSchema = z.strictObject({
  description: z.string().optional(),
  events: z.array(scenarioEventSchema).max(100_000),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioEvent = Scenario['events'][number];
