import type {
  CreateScheduleCommandInput,
  DeleteScheduleCommandInput,
  UpdateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { ScheduleSpec, ScheduleStore } from '../../../domain/ports.js';
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
export type DryRunScheduleStoreOptions = Omit<ScheduleTarget, keyof TargetArns> &
  Partial<TargetArns> & {
    /**
     * The store whose schedules the dry run starts from: `list` reads them through, and the requests
     * recorded are what it would take to change them. It is only ever read.
     * @default - none: an empty account, as for a plan's first deployment
     */
    readonly readThrough?: Pick<ScheduleStore, 'list'>;
  };

/**
 * A ScheduleStore that sends nothing: it records the requests the EventBridge adapter would send, built
 * by the same functions (so validated the same way), and remembers what it "created" during this run.
 * It starts from the schedules of `readThrough` (read once per plan), or empty.
 */
export class DryRunScheduleStore implements ScheduleStore {
  readonly #target: ScheduleTarget;
  readonly #readThrough: Pick<ScheduleStore, 'list'> | undefined;
  readonly #requests: DryRunRequest[] = [];
  /** plan → name → spec, as the run has left them. */
  readonly #schedules = new Map<string, Map<string, ScheduleSpec>>();

  constructor({ readThrough, ...options }: DryRunScheduleStoreOptions) {
    this.#target = { ...PLACEHOLDER_TARGETS, ...options };
    this.#readThrough = readThrough;
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    return [...(await this.#planSchedules(planId)).values()];
  }

  async create(spec: ScheduleSpec): Promise<void> {
    const schedules = await this.#planSchedules(spec.plan);
    this.#requests.push({ op: 'create', request: createScheduleInput(spec, this.#target) });
    schedules.set(spec.name, spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    const schedules = await this.#planSchedules(spec.plan);
    this.#requests.push({ op: 'update', request: updateScheduleInput(spec, this.#target) });
    schedules.set(spec.name, spec);
  }

  async delete(planId: string, name: string): Promise<void> {
    const schedules = await this.#planSchedules(planId);
    this.#requests.push({ op: 'delete', request: deleteScheduleInput(planId, name, this.#target.groupPrefix) });
    schedules.delete(name);
  }

  /** Every request so far, in order. */
  requests(): readonly DryRunRequest[] {
    return [...this.#requests];
  }

  async #planSchedules(plan: string): Promise<Map<string, ScheduleSpec>> {
    let schedules = this.#schedules.get(plan);
    if (!schedules) {
      const existing = (await this.#readThrough?.list(plan)) ?? [];
      // Another call may have loaded the plan while this one awaited.
      schedules = this.#schedules.get(plan) ?? new Map(existing.map((s) => [s.name, s]));
      this.#schedules.set(plan, schedules);
    }
    return schedules;
  }
}
