import type { z } from 'zod';
import { ledgerPlanIssues } from '../exits/planLedger.js';
import { type ExtraHolidays, HolidayCoverageError } from '../time/workdays.js';
import { calendarOf, interviewFor, occurrencesOf } from './ladder.js';
import {
  holidaysSchema,
  type Ladder,
  ladderSchema,
  MAX_UNITS,
  type Milestone,
  milestoneSchema,
  type Plan,
  planSchema,
  type StageKind,
  type Unit,
  unitSchema,
} from './schema.js';
import { SLUG, STAGE_ORDER } from './stages.js';
import { documentIssues } from './validateDocuments.js';

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

/**
 * Plan files (and units workbooks) larger than this are refused before parsing: the seed is ~10 KB; a
 * plan of 50,000 units (MAX_UNITS) with long names and three mailboxes each is about 20 MB.
 */
export const MAX_PLAN_BYTES = 32 * 1024 * 1024;

/** What a plan is validated against besides itself: the office's 放假安排 for every plan, when known. */
export interface ValidationContext {
  readonly officeHolidays?: ExtraHolidays | undefined;
}

/** Parses the text of a plan file; every problem is reported, none thrown as a stack trace. */
export function parsePlanText(text: string, context: ValidationContext = {}): Plan {
  return parsePlan(parsePlanJson(text), context);
}

/** The JSON of a plan file's text, refused (located) when too large or not JSON; not yet validated. */
export function parsePlanJson(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES) {
    throw new PlanValidationError([
      {
        path: '(file)',
        message: `is larger than ${MAX_PLAN_BYTES / 1024 / 1024} MB; a plan of ${MAX_UNITS.toLocaleString('en-US')} units is about 20 MB`,
      },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PlanValidationError([{ path: '(file)', message: `is not JSON: ${(cause as Error).message}` }], { cause });
  }
}

/**
 * Validates a plan: its shape, every reference, the ladder's order and holiday coverage. Every problem
 * is reported at once: a shape problem does not hide an unknown unit elsewhere in the file.
 */
export function parsePlan(input: unknown, context: ValidationContext = {}): Plan {
  const parsed = planSchema.safeParse(input);
  const issues = parsed.success ? [] : zodIssues(parsed.error);
  issues.push(...referenceIssues(input));
  issues.push(...ledgerPlanIssues(field(input, 'milestones')));
  const parts = parsed.success ? parsed.data : soundParts(input);
  if (parts.ladder) issues.push(...ladderIssues(parts.ladder));
  issues.push(...holidayYearIssues(field(input, 'holidays')));
  if (parts.ladder && parts.timezone)
    issues.push(
      ...coverageIssues({
        ...parts,
        ladder: parts.ladder,
        timezone: parts.timezone,
        ...(context.officeHolidays ? { officeHolidays: context.officeHolidays } : {}),
      }),
    );
  if (issues.length > 0 || !parsed.success) throw new PlanValidationError(dedupe(issues));
  return parsed.data;
}

export function zodIssues(error: z.ZodError): PlanIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** What the scheduling checks need, each part parsed on its own; a milestone that does not parse is a hole. */
interface SoundParts {
  readonly timezone?: string;
  readonly ladder?: Ladder;
  readonly holidays?: Plan['holidays'];
  readonly units: Unit[];
  readonly milestones: readonly (Milestone | undefined)[];
}

/** The parts of a plan that are sound by themselves, so that holiday coverage is checked alongside shape problems. */
function soundParts(input: unknown): SoundParts {
  const parse = <T>(schema: z.ZodType<T>, value: unknown) => schema.safeParse(value).data;
  return {
    timezone: parse(planSchema.shape.timezone, field(input, 'timezone')),
    ladder: parse(ladderSchema, field(input, 'ladder')),
    holidays: parse(holidaysSchema, field(input, 'holidays') ?? {}),
    units: listOf(field(input, 'units')).flatMap((u) => parse(unitSchema, u) ?? []),
    milestones: listOf(field(input, 'milestones')).map((m) => parse(milestoneSchema, m)),
  };
}

const dedupe = (issues: PlanIssue[]) => [...new Map(issues.map((i) => [formatIssue(i), i])).values()];

/** `input[key]` when `input` is an object, read without trusting its shape. */
const field = (input: unknown, key: string): unknown =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, key)
    ? (input as Record<string, unknown>)[key]
    : undefined;
const listOf = (input: unknown): unknown[] => (Array.isArray(input) ? input : []);
const text = (input: unknown): string | undefined => (typeof input === 'string' ? input : undefined);

/**
 * Duplicate ids and references to units, read from the raw input so that they are checked even when
 * some other part of the file has the wrong shape (which the schema reports on its own).
 */
function referenceIssues(input: unknown): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const unitIds = new Map<string, number>();
  const units = listOf(field(input, 'units'));
  // While a unit's own id is broken, which unit a reference means is anyone's guess: those wait.
  const idsReadable = units.every((unit) => SLUG.test(text(field(unit, 'id')) ?? ''));
  units.forEach((unit, i) => {
    const id = text(field(unit, 'id'));
    if (id === undefined) return;
    const first = unitIds.get(id);
    if (first !== undefined) add(`units[${i}].id`, `duplicate id "${id}" (also units[${first}])`);
    else unitIds.set(id, i);
  });
  // A reference that is not even a slug has its own message from the schema.
  const knownUnit = (path: string, id: unknown) => {
    if (idsReadable && typeof id === 'string' && SLUG.test(id) && !unitIds.has(id)) add(path, `unknown unit "${id}"`);
  };
  /** A list of unit references: each known, none twice. */
  const unitList = (path: string, list: unknown) => {
    const seen = new Set<unknown>();
    listOf(list).forEach((id, j) => {
      knownUnit(`${path}[${j}]`, id);
      if (typeof id === 'string' && seen.has(id)) add(`${path}[${j}]`, `"${id}" is listed twice`);
      seen.add(id);
    });
  };

  const milestoneIds = new Map<string, number>();
  listOf(field(input, 'milestones')).forEach((m, i) => {
    const at = `milestones[${i}]`;
    const id = text(field(m, 'id'));
    const first = id === undefined ? undefined : milestoneIds.get(id);
    if (id !== undefined && first !== undefined) add(`${at}.id`, `duplicate id "${id}" (also milestones[${first}])`);
    else if (id !== undefined) milestoneIds.set(id, i);
    const responsible = listOf(field(m, 'responsible'));
    unitList(`${at}.responsible`, responsible);
    const recipient = field(m, 'recipient');
    knownUnit(`${at}.recipient`, recipient);
    if (typeof recipient === 'string' && responsible.includes(recipient))
      add(`${at}.recipient`, `"${recipient}" is also responsible: a unit does not deliver to itself`);
    unitList(`${at}.cc`, field(m, 'cc'));
    unitList(`${at}.partners`, field(m, 'partners'));
    knownUnit(`${at}.approver`, field(m, 'approver'));
  });
  if (idsReadable) issues.push(...documentIssues(input, new Set(unitIds.keys())));
  return issues;
}

/**
 * A year the plan says it describes must list that year's days off: a year listed with none would
 * be read as plain Monday–Friday, and notices would go out over the Spring Festival.
 */
function holidayYearIssues(holidays: unknown): PlanIssue[] {
  const off = listOf(field(holidays, 'off')).filter((d): d is string => typeof d === 'string');
  return listOf(field(holidays, 'years')).flatMap((year, i) =>
    typeof year === 'number' && !off.some((d) => d.startsWith(`${year}-`))
      ? [{ path: `holidays.years[${i}]`, message: `lists no day off in ${year}: add its public holidays to "off"` }]
      : [],
  );
}

/** Stages run reminder → due → overdue → circular → summons, each strictly later than the one before. */
function ladderIssues(ladder: Ladder): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const seen = new Set<StageKind>();
  ladder.stages.forEach((s, i) => {
    const at = `ladder.stages[${i}]`;
    if (s.stage === 'reminder' && s.offset >= 0)
      issues.push({ path: `${at}.offset`, message: 'a reminder must come before the deadline (offset < 0)' });
    if (s.stage === 'due' && s.offset !== 0)
      issues.push({ path: `${at}.offset`, message: 'the due stage is on the deadline day (offset 0)' });
    if (STAGE_ORDER[s.stage] >= 2 && s.offset <= 0)
      issues.push({ path: `${at}.offset`, message: `${s.stage} comes after the deadline (offset > 0)` });
    if (s.stage !== 'reminder' && seen.has(s.stage))
      issues.push({ path: `${at}.stage`, message: `only one ${s.stage} stage is allowed` });
    seen.add(s.stage);
    const prev = ladder.stages[i - 1];
    if (
      prev &&
      (STAGE_ORDER[prev.stage] > STAGE_ORDER[s.stage] || prev.offset * 24 + prev.hour >= s.offset * 24 + s.hour)
    ) {
      issues.push({
        path: at,
        message: `must come after ladder.stages[${i - 1}] (${prev.stage}) in order and in time`,
      });
    }
  });
  return issues;
}

/** Every fire time (and interview) must fall in a year whose holidays are known. */
function coverageIssues(
  plan: SoundParts & Pick<Plan, 'timezone' | 'ladder'> & { officeHolidays?: ExtraHolidays },
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const calendar = calendarOf(plan);
  plan.milestones.forEach((m, i) => {
    if (!m) return;
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
