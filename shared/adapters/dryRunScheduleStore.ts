import type {
  CreateScheduleCommandInput,
  DeleteScheduleCommandInput,
  UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { ScheduleSpec, ScheduleStore } from '../ports.js';
import {
  createScheduleInput,
  deleteScheduleInput,
  type ScheduleTarget,
  type TargetArns,
  updateScheduleInput,
} from './eventBridgeScheduleStore.js';
import { PLACEHOLDER_TARGETS } from './placeholderArns.js';

/** One request the EventBridge adapter would have sent, exactly as it would have sent it. */
export type DryRunRequest =
  | { readonly op: 'create'; readonly request: CreateScheduleCommandInput }
  | { readonly op: 'update'; readonly request: UpdateScheduleCommandInput }
  | { readonly op: 'delete'; readonly request: DeleteScheduleCommandInput };

/** Without real ARNs the dry run uses placeholders shaped like them (see placeholderArns.ts). */
export type DryRunScheduleStoreOptions = Omit<ScheduleTarget, keyof TargetArns> & Partial<TargetArns>;

/**
 * A ScheduleStore that sends nothing: it records the requests the EventBridge adapter would send, built
 * by the same functions (so validated the same way), and remembers what it "created" during this run.
 * It starts empty, as if the account had no schedules: a dry run shows a plan's first deployment.
 */
export class DryRunScheduleStore implements ScheduleStore {
  readonly #target: ScheduleTarget;
  readonly #requests: DryRunRequest[] = [];
  /** plan → name → spec, as the run has left them. */
  readonly #schedules = new Map<string, Map<string, ScheduleSpec>>();

  constructor(options: DryRunScheduleStoreOptions) {
    this.#target = { ...PLACEHOLDER_TARGETS, ...options };
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    return [...(this.#schedules.get(planId)?.values() ?? [])];
  }

  async create(spec: ScheduleSpec): Promise<void> {
    this.#requests.push({ op: 'create', request: createScheduleInput(spec, this.#target) });
    this.#planSchedules(spec.plan).set(spec.name, spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    this.#requests.push({ op: 'update', request: updateScheduleInput(spec, this.#target) });
    this.#planSchedules(spec.plan).set(spec.name, spec);
  }

  async delete(planId: string, name: string): Promise<void> {
    this.#requests.push({ op: 'delete', request: deleteScheduleInput(planId, name, this.#target.groupPrefix) });
    this.#schedules.get(planId)?.delete(name);
  }

  /** Every request so far, in order. */
  requests(): readonly DryRunRequest[] {
    return [...this.#requests];
  }

  #planSchedules(plan: string): Map<string, ScheduleSpec> {
    let schedules = this.#schedules.get(plan);
    if (!schedules) {
      schedules = new Map();
      this.#schedules.set(plan, schedules);
    }
    return schedules;
  }
}
