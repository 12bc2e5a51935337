import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { type PlanIssue, PlanValidationError, parsePlan, zodIssues } from '../../shared/domain/plan/validate.js';

/** The seed plan's file text, as `plan validate` reads it. */
export const SEED_TEXT = readFileSync(new URL('../../plans/jiangmen-2021.json', import.meta.url), 'utf8');

/** A fresh, mutable copy of the seed as raw JSON, for a test to make hostile. */
// biome-ignore lint/suspicious/noExplicitAny: raw JSON on purpose: tests put wrong types into it
export const seedJson = (): any => JSON.parse(SEED_TEXT);

/** The seed, validated. */
export const seedPlan = (): Plan => parsePlan(seedJson());

export const PLAN_ID = 'jiangmen-2021';

/** Markup that would run if a value reached HTML unescaped. */
export const MARKUP = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  svg: '"><svg onload=alert(1)>',
} as const;

/** The same markup as it must appear in HTML: escaped text, never a tag. */
export const ESCAPED = {
  script: '&lt;script&gt;alert(1)&lt;/script&gt;',
  img: '&lt;img src=x onerror=alert(1)&gt;',
  svg: '&quot;&gt;&lt;svg onload=alert(1)&gt;',
} as const;

/** An email address anywhere in a text. */
export const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[a-z]+/i;

/** The issues a call refused with; fails the test when it returned or threw anything else. */
export function issuesOf(act: () => unknown): PlanIssue[] {
  try {
    act();
  } catch (error) {
    if (error instanceof PlanValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a PlanValidationError, but the input was accepted');
}

/** Zod's result as located issues, the way the CLI prints them. */
export function zodIssuesOf(result: z.ZodSafeParseResult<unknown>): PlanIssue[] {
  if (result.success) throw new Error('expected the input to be refused, but it was accepted');
  return zodIssues(result.error);
}

/**
 * The seed with markup in every value a notice shows: unit names, head and supervisor names, the
 * milestone's title, deliverable and basis, the coordinator and the interview. It is a valid plan.
 */
export function markupPlan(): Plan {
  const raw = seedJson();
  for (const unit of raw.units) {
    unit.name = `${unit.name}${MARKUP.script}`;
    unit.head.name = `${MARKUP.img}负责人`;
    unit.supervisor.name = `${MARKUP.svg}分管领导`;
  }
  const milestone = raw.milestones[1];
  milestone.title = `${MARKUP.script}${milestone.title}`;
  milestone.deliverable = `${MARKUP.img}${milestone.deliverable}`;
  milestone.basis = `${MARKUP.svg}${milestone.basis}`;
  milestone.approver = 'szf';
  raw.title = `${MARKUP.svg}${raw.title}`;
  raw.ladder.coordinator.name = `${MARKUP.script}协调小组`;
  raw.ladder.interview.place = `${MARKUP.img}会议室`;
  raw.ladder.interview.host = `${MARKUP.svg}协调小组`;
  return parsePlan(raw);
}
