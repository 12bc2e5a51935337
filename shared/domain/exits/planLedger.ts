import { z } from 'zod';
import { SLUG } from '../plan/stages.js';
import {
  DEFAULT_ESCALATION,
  DEFAULT_EXIT_STEPS,
  DEFAULT_REQUIRED_STEPS,
  EXIT_METHODS,
  type ExitMethod,
  STEP_DETAILS,
} from './steps.js';

const stepId = z
  .string()
  .max(40, 'must be at most 40 characters')
  .regex(SLUG, 'must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "power-cut"');

const stepSchema = z.strictObject({
  id: stepId,
  name: z.string().trim().min(1, 'must not be empty').max(20, 'must be at most 20 characters'),
  details: z.array(z.enum(STEP_DETAILS)).default([]),
});

const requiredSchema = z.strictObject(
  Object.fromEntries(EXIT_METHODS.map((m) => [m, z.array(stepId).min(1, 'must name at least one step')])) as Record<
    ExitMethod,
    z.ZodArray<typeof stepId>
  >,
);

/**
 * 退出台账 — a milestone that is kept as a per-unit list of enterprise exit items rather than delivered as one
 * document: the steps each exit records (with a date, and evidence), which of them make an exit 完成 for each
 * 退出方式, and when 通报 and 约谈 name a unit. Its items' planned dates drive the ladder, not its deadline (the
 * day the ledger's list is handed over).
 */
export const exitLedgerSchema = z
  .strictObject({
    steps: z
      .array(stepSchema)
      .min(1, 'must name at least one step')
      .max(20, 'must name at most 20 steps')
      .default(DEFAULT_EXIT_STEPS.map((s) => ({ ...s, details: [...s.details] }))),
    required: requiredSchema.default(
      Object.fromEntries(Object.entries(DEFAULT_REQUIRED_STEPS).map(([m, ids]) => [m, [...ids]])) as Record<
        ExitMethod,
        string[]
      >,
    ),
    /** A unit is named in 通报 (and summoned) once it has at least `minItems` items past that stage's offset. */
    escalation: z.strictObject({ minItems: z.number().int().min(1).max(10_000) }).default({ ...DEFAULT_ESCALATION }),
  })
  .superRefine((ledger, ctx) => {
    const ids = new Set<string>();
    ledger.steps.forEach((s, i) => {
      if (ids.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step "${s.id}"` });
      ids.add(s.id);
    });
    for (const method of EXIT_METHODS) {
      ledger.required[method].forEach((id, j) => {
        if (!ids.has(id))
          ctx.addIssue({ code: 'custom', path: ['required', method, j], message: `unknown step "${id}"` });
      });
    }
  });
export type ExitLedgerSection = z.infer<typeof exitLedgerSchema>;

/** A plan keeps at most one ledger: `ledger import <plan> <unit> <file>` names no milestone. */
export function ledgerPlanIssues(milestones: unknown): { path: string; message: string }[] {
  if (!Array.isArray(milestones)) return [];
  const withLedger = milestones.flatMap((m, i) =>
    typeof m === 'object' && m !== null && Object.hasOwn(m, 'ledger') ? [i] : [],
  );
  return withLedger.slice(1).map((i) => ({
    path: `milestones[${i}].ledger`,
    message: `a plan keeps one exit ledger (already milestones[${withLedger[0]}])`,
  }));
}
