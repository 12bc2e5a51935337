import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  type DeleteScheduleCommandInput,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
  type UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import pLimit from 'p-limit';
import type { SchedulePayload, ScheduleSpec, ScheduleStore } from '../../../domain/ports.js';
import { scheduleGroupName } from '../../../domain/schedule/names.js';
import { schedulePayloadSchema } from '../../../domain/schedule/payloadSchema.js';
import { isCalendarDate, isKnownTimeZone } from '../../../domain/time/wallClock.js';

export interface RetryPolicySettings {
  readonly maximumEventAgeInSeconds: number;
  readonly maximumRetryAttempts: number;
}

/**
 * Scheduler's own retries cover only its delivery to Lambda: it invokes the dispatch function
 * asynchronously, so once Lambda has accepted the event, a handler error (an SES outage, say) is
 * retried by Lambda (twice, then the dispatcher's DLQ), not by Scheduler. This policy is for the
 * invocation itself failing (Lambda refusing or throttling the Invoke request, the role or function missing):
 * retrying for up to 24 h is safe because dispatch claims every notice in the ledger before sending.
 * 20 attempts (not Scheduler's default 185) bound the retries of an event that can never be
 * delivered and get it to the schedules' DLQ, where an operator sees it, sooner.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicySettings = { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 20 };

export interface TargetArns {
  /** The dispatch function. */
  readonly targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Standard SQS queue for events that exhausted their retries. */
  readonly deadLetterArn: string;
}

/** Where and how schedules fire: everything in a request that does not come from the spec. */
export interface ScheduleTarget extends TargetArns {
  /** Group of a plan: `<groupPrefix><plan>`. */
  readonly groupPrefix: string;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retryPolicy?: RetryPolicySettings;
}

export interface EventBridgeScheduleStoreOptions extends ScheduleTarget {
  readonly client: SchedulerClient;
}

/** A request that Scheduler would refuse; thrown before anything is sent. */
export class ScheduleRequestError extends Error {
  readonly problems: readonly string[];
  constructor(subject: string, problems: readonly string[]) {
    super(`invalid schedule request for ${subject}: ${problems.join('; ')}`);
    this.name = 'ScheduleRequestError';
    this.problems = problems;
  }
}

/** Scheduler refused or failed a request; `cause` is the SDK error. */
export class ScheduleStoreError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ScheduleStoreError';
  }
}

/** Revision reported for a schedule in the plan's group that this adapter cannot read back (see `list`). */
export const UNREADABLE_REVISION = -1;

// Limits from the CreateSchedule API reference (Smithy model of scheduler 2021-06-30).
const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const SQS_ARN = /^arn:aws(-[a-z]+)?:sqs:[a-z0-9-]+:\d{12}:[a-zA-Z0-9_-]+$/;
const WALL = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const MAX_DESCRIPTION = 512;
const MAX_TIMEZONE = 50;
const MAX_ARN = 1600;
/**
 * Self-imposed: Scheduler accepts up to 256 KB of Input, but ours is ~100 characters. Anything near this
 * bound is a bug (a runaway id), and EventBridge's own 8192 keeps the payload portable to a rule target.
 */
const MAX_INPUT = 8192;

/** A create/update input with the fields this adapter always sets made non-optional. */
export type ScheduleInput = CreateScheduleCommandInput &
  UpdateScheduleCommandInput & { Name: string; GroupName: string };
export type DeleteInput = DeleteScheduleCommandInput & { Name: string; GroupName: string };

/** `at(YYYY-MM-DDTHH:mm:ss)` from a wall-clock time in the schedule's zone (never from `toISOString()`, which is UTC). */
export function atExpression(wall: string): string {
  return `at(${wall})`;
}

/** The wall-clock time inside an `at()` expression, or undefined for any other expression. */
export function parseAtExpression(expression: string): string | undefined {
  return AT.exec(expression)?.[1];
}

/** The full CreateSchedule input for a spec; throws `ScheduleRequestError` when Scheduler would refuse it. */
export function createScheduleInput(spec: ScheduleSpec, target: ScheduleTarget): ScheduleInput {
  const retry = target.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const { plan, milestone, stage, revision } = spec.payload;
  // Built field by field so the key order (and so the JSON) never depends on how the spec was made.
  const payload: SchedulePayload = { plan, milestone, stage, revision };
  const input = {
    Name: spec.name,
    GroupName: scheduleGroupName(target.groupPrefix, spec.plan),
    ScheduleExpression: atExpression(spec.at),
    ScheduleExpressionTimezone: spec.timezone,
    Description: `duban ${plan} ${milestone} ${stage} rev ${revision}`,
    State: 'ENABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify(payload),
      RetryPolicy: {
        MaximumEventAgeInSeconds: retry.maximumEventAgeInSeconds,
        MaximumRetryAttempts: retry.maximumRetryAttempts,
      },
      DeadLetterConfig: { Arn: target.deadLetterArn },
    },
    ActionAfterCompletion: 'DELETE',
  } satisfies CreateScheduleCommandInput;

  const problems = nameProblems(input.Name, input.GroupName);
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const wall = WALL.exec(spec.at);
  check(
    wall?.[1] !== undefined && isCalendarDate(wall[1]),
    `at: ${JSON.stringify(spec.at)} is not YYYY-MM-DDTHH:mm:ss`,
  );
  check(
    spec.timezone.length <= MAX_TIMEZONE && isKnownTimeZone(spec.timezone),
    `ScheduleExpressionTimezone: ${JSON.stringify(spec.timezone)} is not a known time zone`,
  );
  for (const issue of schedulePayloadSchema.safeParse(spec.payload).error?.issues ?? []) {
    problems.push(`payload.${issue.path.join('.')}: ${issue.message}`);
  }
  // A schedule in one plan's group that dispatches another plan would escape that plan's reconcile.
  check(plan === spec.plan, `payload.plan: ${JSON.stringify(plan)} is not the spec's plan "${spec.plan}"`);
  check(input.Description.length <= MAX_DESCRIPTION, `Description: longer than ${MAX_DESCRIPTION} chars`);
  check(input.Target.Input.length <= MAX_INPUT, `Target.Input: ${input.Target.Input.length} > ${MAX_INPUT} chars`);
  check(target.targetArn.startsWith('arn:') && target.targetArn.length <= MAX_ARN, 'Target.Arn: not an ARN');
  check(ROLE_ARN.test(target.roleArn), `Target.RoleArn: ${target.roleArn} is not an IAM role ARN`);
  check(SQS_ARN.test(target.deadLetterArn), `DeadLetterConfig.Arn: ${target.deadLetterArn} is not an SQS queue ARN`);
  const { maximumEventAgeInSeconds: age, maximumRetryAttempts: attempts } = retry;
  check(Number.isInteger(age) && age >= 60 && age <= 86_400, `MaximumEventAgeInSeconds: ${age} not in 60-86400`);
  check(
    Number.isInteger(attempts) && attempts >= 0 && attempts <= 185,
    `MaximumRetryAttempts: ${attempts} not in 0-185`,
  );
  if (problems.length > 0) throw new ScheduleRequestError(`${input.GroupName}/${input.Name}`, problems);
  return input;
}

/** UpdateSchedule replaces every field, so it takes the same full input as CreateSchedule. */
export function updateScheduleInput(spec: ScheduleSpec, target: ScheduleTarget): ScheduleInput {
  return createScheduleInput(spec, target);
}

export function deleteScheduleInput(plan: string, name: string, groupPrefix: string): DeleteInput {
  const input = { Name: name, GroupName: scheduleGroupName(groupPrefix, plan) };
  const problems = nameProblems(input.Name, input.GroupName);
  if (problems.length > 0) throw new ScheduleRequestError(`${input.GroupName}/${input.Name}`, problems);
  return input;
}

function nameProblems(name: string, group: string): string[] {
  const rule = 'must be 1-64 of [0-9a-zA-Z-_.]';
  return [
    ...(NAME.test(name) ? [] : [`Name: ${JSON.stringify(name)} ${rule}`]),
    ...(NAME.test(group) ? [] : [`GroupName: ${JSON.stringify(group)} ${rule}`]),
  ];
}

/**
 * Maps a GetSchedule answer back to a spec. A schedule in the plan's group that is not exactly what this
 * adapter writes (another expression, a payload that does not parse or names another plan, another target,
 * role, DLQ or retry policy, disabled, not self-deleting) comes back with revision UNREADABLE_REVISION: reconcile never wants that
 * revision, so it overwrites the schedule when it wants the name and deletes it when it does not.
 * Skipping it instead would leave a stray schedule firing at the dispatch function forever.
 */
export function specFromSchedule(
  plan: string,
  schedule: GetScheduleCommandOutput,
  target: ScheduleTarget,
): ScheduleSpec {
  const at = parseAtExpression(schedule.ScheduleExpression ?? '');
  const timezone = schedule.ScheduleExpressionTimezone ?? 'UTC'; // Scheduler's default when none was set
  const parsed = schedulePayloadSchema.safeParse(parseJson(schedule.Target?.Input));
  const retry = target.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const t = schedule.Target;
  const ours =
    schedule.State === 'ENABLED' &&
    schedule.ActionAfterCompletion === 'DELETE' &&
    t?.Arn === target.targetArn &&
    t.RoleArn === target.roleArn &&
    t.DeadLetterConfig?.Arn === target.deadLetterArn &&
    t.RetryPolicy?.MaximumEventAgeInSeconds === retry.maximumEventAgeInSeconds &&
    t.RetryPolicy?.MaximumRetryAttempts === retry.maximumRetryAttempts;
  const name = schedule.Name ?? '';
  if (at !== undefined && parsed.success && parsed.data.plan === plan && ours) {
    return { name, plan, at, timezone, payload: parsed.data };
  }
  const milestone = parsed.success ? parsed.data.milestone : '';
  const stage = parsed.success ? parsed.data.stage : 'reminder';
  return { name, plan, at: at ?? '', timezone, payload: { plan, milestone, stage, revision: UNREADABLE_REVISION } };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined; // reported as unreadable by the schema check
  }
}

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;
const notFound = (error: unknown) =>
  error instanceof ResourceNotFoundException || isNamed(error, 'ResourceNotFoundException');
const conflict = (error: unknown) => error instanceof ConflictException || isNamed(error, 'ConflictException');

/** GetSchedule calls in flight at once during `list`: Scheduler throttles reads per account. */
const GET_CONCURRENCY = 5;

/** ScheduleStore on EventBridge Scheduler: one group per plan, one `at()` schedule per ladder step. */
export class EventBridgeScheduleStore implements ScheduleStore {
  readonly #client: SchedulerClient;
  readonly #target: ScheduleTarget;

  constructor({ client, ...target }: EventBridgeScheduleStoreOptions) {
    this.#client = client;
    this.#target = target;
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    const GroupName = scheduleGroupName(this.#target.groupPrefix, planId);
    const names: string[] = [];
    let NextToken: string | undefined;
    // A plain loop, not paginateListSchedules: the SDK paginator mutates one input object across pages.
    do {
      const input = { GroupName, MaxResults: 100, ...(NextToken ? { NextToken } : {}) };
      const page = await attempt(
        this.#client.send(new ListSchedulesCommand(input)),
        `ListSchedules ${GroupName}`,
        notFound,
      );
      if (!page) return []; // no group yet: nothing was ever scheduled for this plan
      for (const s of page.Schedules ?? []) if (s.Name) names.push(s.Name);
      NextToken = page.NextToken;
    } while (NextToken);
    const specs = await pLimit(GET_CONCURRENCY).map(names, async (Name) => {
      const get = this.#client.send(new GetScheduleCommand({ Name, GroupName }));
      // Gone since the listing: it fired and deleted itself (ActionAfterCompletion DELETE), or was deleted.
      const got = await attempt(get, `GetSchedule ${GroupName}/${Name}`, notFound);
      return got && specFromSchedule(planId, got, this.#target);
    });
    return specs.filter((s): s is ScheduleSpec => s !== undefined);
  }

  async create(spec: ScheduleSpec): Promise<void> {
    const input = createScheduleInput(spec, this.#target);
    const subject = `CreateSchedule ${input.GroupName}/${input.Name}`;
    try {
      await this.#client.send(new CreateScheduleCommand(input));
      return;
    } catch (error) {
      if (conflict(error)) return this.update(spec); // already there: create is idempotent
      if (!notFound(error)) throw new ScheduleStoreError(`${subject} failed`, { cause: error });
    }
    // The plan's group does not exist yet: make it (another reconcile may be making it too) and retry once.
    const group = this.#client.send(new CreateScheduleGroupCommand({ Name: input.GroupName }));
    await attempt(group, `CreateScheduleGroup ${input.GroupName}`, conflict);
    const retried = await attempt(this.#client.send(new CreateScheduleCommand(input)), subject, conflict);
    if (!retried) await this.update(spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    const input = updateScheduleInput(spec, this.#target);
    await attempt(
      this.#client.send(new UpdateScheduleCommand(input)),
      `UpdateSchedule ${input.GroupName}/${input.Name}`,
    );
  }

  async delete(planId: string, name: string): Promise<void> {
    const input = deleteScheduleInput(planId, name, this.#target.groupPrefix);
    const deleted = this.#client.send(new DeleteScheduleCommand(input));
    // Already gone (fired and deleted itself, or deleted before) is what we wanted.
    await attempt(deleted, `DeleteSchedule ${input.GroupName}/${input.Name}`, notFound);
  }
}

/** Awaits a request; undefined when it failed in a way the caller tolerates, a ScheduleStoreError otherwise. */
async function attempt<T>(request: Promise<T>, what: string, tolerate = (_: unknown) => false): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (tolerate(error)) return undefined;
    throw new ScheduleStoreError(`${what} failed`, { cause: error });
  }
}
