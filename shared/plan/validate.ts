import type { z } from 'zod';
import { HolidayCoverageError } from '../time/workdays.js';
import { calendarOf, interviewFor, occurrencesOf } from './ladder.js';
import { type Plan, planSchema, type StageKind } from './schema.js';

/** One problem with a plan, located: `milestones[1].responsible[3]: unknown unit "foo"`. */
export interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

export class PlanValidationError extends Error {
  constructor(
    readonly issues: readonly PlanIssue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map(formatIssue).join('\n'), options);
    this.name = 'PlanValidationError';
  }
}

export const formatIssue = (issue: PlanIssue) => `${issue.path}: ${issue.message}`;

/** `['milestones', 1, 'responsible', 3]` → `milestones[1].responsible[3]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(plan)' : out;
}

/** Plan files larger than this are refused before parsing: the seed is ~10 KB; 20,000 units fit. */
export const MAX_PLAN_BYTES = 8 * 1024 * 1024;

/** Parses the text of a plan file; every problem is reported, none thrown as a stack trace. */
export function parsePlanText(text: string): Plan {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) {
    throw new PlanValidationError([
      { path: '(file)', message: `is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB; a plan file is a few KB` },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PlanValidationError([{ path: '(file)', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
  return parsePlan(json);
}

/** Validates a plan: its shape, then every reference, the ladder's order and holiday coverage. */
export function parsePlan(input: unknown): Plan {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) throw new PlanValidationError(zodIssues(parsed.error));
  const issues = crossCheck(parsed.data);
  if (issues.length > 0) throw new PlanValidationError(issues);
  return parsed.data;
}

export function zodIssues(error: z.ZodError): PlanIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

function crossCheck(plan: Plan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const unitIds = new Map<string, number>();
  plan.units.forEach((unit, i) => {
    const first = unitIds.get(unit.id);
    if (first !== undefined) add(`units[${i}].id`, `duplicate id "${unit.id}" (also units[${first}])`);
    else unitIds.set(unit.id, i);
  });
  const knownUnit = (path: string, id: string) => {
    if (!unitIds.has(id)) add(path, `unknown unit "${id}"`);
  };

  const milestoneIds = new Map<string, number>();
  plan.milestones.forEach((m, i) => {
    const at = `milestones[${i}]`;
    const first = milestoneIds.get(m.id);
    if (first !== undefined) add(`${at}.id`, `duplicate id "${m.id}" (also milestones[${first}])`);
    else milestoneIds.set(m.id, i);
    const seen = new Set<string>();
    m.responsible.forEach((id, j) => {
      knownUnit(`${at}.responsible[${j}]`, id);
      if (seen.has(id)) add(`${at}.responsible[${j}]`, `"${id}" is listed twice`);
      seen.add(id);
    });
    knownUnit(`${at}.recipient`, m.recipient);
    m.cc.forEach((id, j) => {
      knownUnit(`${at}.cc[${j}]`, id);
    });
    m.partners?.forEach((id, j) => {
      knownUnit(`${at}.partners[${j}]`, id);
    });
    if (m.approver !== undefined) knownUnit(`${at}.approver`, m.approver);
  });

  issues.push(...ladderIssues(plan));
  if (issues.length === 0) issues.push(...coverageIssues(plan));
  return issues;
}

const ORDER: Record<StageKind, number> = { reminder: 0, due: 1, overdue: 2, circular: 3, summons: 4 };

/** Stages run reminder → due → overdue → circular → summons, each strictly later than the one before. */
function ladderIssues(plan: Plan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const seen = new Set<StageKind>();
  plan.ladder.stages.forEach((s, i) => {
    const at = `ladder.stages[${i}]`;
    if (s.stage === 'reminder' && s.offset >= 0)
      issues.push({ path: `${at}.offset`, message: 'a reminder must come before the deadline (offset < 0)' });
    if (s.stage === 'due' && s.offset !== 0)
      issues.push({ path: `${at}.offset`, message: 'the due stage is on the deadline day (offset 0)' });
    if (ORDER[s.stage] >= 2 && s.offset <= 0)
      issues.push({ path: `${at}.offset`, message: `${s.stage} comes after the deadline (offset > 0)` });
    if (s.stage !== 'reminder' && seen.has(s.stage))
      issues.push({ path: `${at}.stage`, message: `only one ${s.stage} stage is allowed` });
    seen.add(s.stage);
    const prev = plan.ladder.stages[i - 1];
    if (prev && (ORDER[prev.stage] > ORDER[s.stage] || prev.offset * 24 + prev.hour >= s.offset * 24 + s.hour)) {
      issues.push({
        path: at,
        message: `must come after ladder.stages[${i - 1}] (${prev.stage}) in order and in time`,
      });
    }
  });
  return issues;
}

/** Every fire time (and interview) must fall in a year whose holidays are known. */
function coverageIssues(plan: Plan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const calendar = calendarOf(plan);
  plan.milestones.forEach((m, i) => {
    try {
      if (!calendar.covers(m.deadline)) throw new HolidayCoverageError(m.deadline);
      const summons = occurrencesOf(plan, m, calendar).find((o) => o.stage === 'summons');
      if (summons) interviewFor(plan, m, summons.wall.slice(0, 10));
    } catch (error) {
      if (!(error instanceof HolidayCoverageError)) throw error;
      issues.push({ path: `milestones[${i}].deadline`, message: `cannot be scheduled: ${error.message}` });
    }
  });
  return issues;
}
