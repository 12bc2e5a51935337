import { z } from 'zod';
import { calendarEditSchema } from '../shared/domain/calendar/editSchema.js';
import { dateSchema, slugSchema } from '../shared/domain/plan/schema.js';
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

const ids = { milestone: slugSchema, unit: slugSchema };
const reason = z.string().trim().min(1).max(500);

/** Reviews and extensions, as the recipient, an admin or the unit would make them. */
const responseSchemas = {
  accept: z.strictObject(ids),
  return: z.strictObject({ ...ids, reason }),
  requestExtension: z.strictObject({ ...ids, deadline: dateSchema, reason }),
  approveExtension: z.strictObject({ ...ids, deadline: dateSchema.optional() }),
  rejectExtension: z.strictObject({ ...ids, reason }),
  void: z.strictObject({ ...ids, reason }),
};
export type ResponseKind = keyof typeof responseSchemas;

/** The exit ledger's events, as a district would make them on its portal page (sim/exitEvents.ts). */
const exitItemSchema = z.strictObject({
  name: z.string(),
  creditCode: z.string(),
  industry: z.string(),
  capacity: z.string(),
  quantity: z.union([z.string(), z.number()]).transform(String),
  measure: z.string(),
  exitMethod: z.string(),
  plannedDate: z.string(),
});
const exitIds = { unit: slugSchema, creditCode: z.string().max(18) };
const exitSchemas = {
  /** A unit's items, imported as its file would be (all or nothing; checked as a file is). */
  importExits: z.strictObject({ unit: slugSchema, items: z.array(exitItemSchema).min(1).max(50_000) }),
  /** One step of an item done, on `date`, with what the step records. */
  exitStep: z.strictObject({
    ...exitIds,
    step: slugSchema,
    date: dateSchema,
    by: z.string().optional(),
    where: z.string().optional(),
    docNumber: z.string().optional(),
  }),
  /** The district reports the enterprise resisting (拒不退出). */
  exitResisted: z.strictObject({ ...exitIds, note: z.string() }),
};
export type ExitEventKind = keyof typeof exitSchemas;
export type ExitEvent = {
  [K in ExitEventKind]: { readonly kind: K; readonly at: number; readonly exit: z.infer<(typeof exitSchemas)[K]> };
}[ExitEventKind];
const exitKinds = Object.keys(exitSchemas) as ExitEventKind[];
export type ResponseEvent = {
  [K in ResponseKind]: {
    readonly kind: K;
    readonly at: number;
    readonly response: z.infer<(typeof responseSchemas)[K]>;
  };
}[ResponseKind];
const responseKinds = Object.keys(responseSchemas) as ResponseKind[];

/**
 * A scenario event: `{"at": ISO, "submit": {...}}`, a review or extension (`accept`, `return`,
 * `requestExtension`, `approveExtension`, `rejectExtension`, `void`), or `{"at": ISO, "<edit>": {...}}` for each calendar
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
        message: `needs exactly one action besides "at" (submit, ${[...responseKinds, ...exitKinds, ...editTypes].join(', ')})`,
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
    if ((responseKinds as string[]).includes(kind)) {
      const parsed = responseSchemas[kind as ResponseKind].safeParse(rest[kind]);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [kind, ...issue.path] } as never);
        return z.NEVER;
      }
      return { at, kind, response: parsed.data } as ResponseEvent;
    }
    if ((exitKinds as string[]).includes(kind)) {
      const parsed = exitSchemas[kind as ExitEventKind].safeParse(rest[kind]);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [kind, ...issue.path] } as never);
        return z.NEVER;
      }
      return { at, kind, exit: parsed.data } as ExitEvent;
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
