import { type HolidaySources, occurrencesOf } from '../plan/ladder.js';
import type { Milestone } from '../plan/schema.js';
import { counts, type ScheduleSpec, type ScheduleStore, type SubmissionStore } from '../ports.js';
import { applyEdit, type CalendarDeps, type EditResult } from './applyEdit.js';
import { type DeadlineAdvice, deadlineAdvice } from './deadlineAdvice.js';
import type { CalendarEdit } from './editSchema.js';
import { ScratchCalendar } from './scratchCalendar.js';

/** A schedule store for previews: reads the real one, keeps every write to itself. */
class PreviewSchedules implements ScheduleStore {
  readonly #writes = new Map<string, ScheduleSpec | null>();
  constructor(private readonly base: ScheduleStore) {}
  async list(planId: string): Promise<ScheduleSpec[]> {
    const all = new Map((await this.base.list(planId)).map((s) => [s.name, s]));
    for (const [name, spec] of this.#writes) {
      if (spec === null) all.delete(name);
      else all.set(name, spec);
    }
    return [...all.values()];
  }
  async create(spec: ScheduleSpec) {
    this.#writes.set(spec.name, spec);
  }
  async update(spec: ScheduleSpec) {
    this.#writes.set(spec.name, spec);
  }
  async delete(_planId: string, name: string) {
    this.#writes.set(name, null);
  }
}

/** One milestone (or one unit's ladder) as the edit would leave it. */
export interface MilestonePreview {
  readonly milestone: string;
  readonly unit?: string;
  readonly before?: DeadlineAdvice;
  readonly after?: DeadlineAdvice;
  /** The next stage still ahead after the edit, and who it would reach (units that have not delivered). */
  readonly next?: { stage: string; wall: string; units: string[] };
}

export interface EditPreview {
  readonly result: EditResult;
  readonly milestones: MilestonePreview[];
  /** Revisions the preview was made on: a confirm refuses if any moved meanwhile. */
  readonly revisions: Record<string, number>;
}

/**
 * 预览: the very edit on a scratch copy of the calendar and of the schedules — validation, audit, reconcile —
 * with the stage dates before and after, the stages that fall into the past and will not be sent, and who the
 * next stage would reach. Nothing is written.
 */
export async function previewEdit(
  deps: CalendarDeps & { submissions: SubmissionStore },
  planId: string,
  edit: CalendarEdit,
  actor: string,
): Promise<EditPreview> {
  const before = await deps.calendar.loadPlan(planId);
  const scratch = new ScratchCalendar(deps.calendar);
  const result = await applyEdit(
    { calendar: scratch, schedules: new PreviewSchedules(deps.schedules), clock: deps.clock },
    planId,
    edit,
    actor,
  );
  const after = await scratch.loadPlan(planId);
  const now = deps.clock.now();
  const unit = edit.type === 'setUnitDeadline' ? edit.unit : undefined;
  const touched = edit.type === 'setUnitDeadline' ? [edit.milestone] : result.bumped.map((b) => b.milestone);
  const milestones: MilestonePreview[] = [];
  for (const id of touched) {
    const old = before?.milestones.find((m) => m.id === id);
    const now_ = after?.milestones.find((m) => m.id === id);
    const advice = (plan: typeof before, m: typeof old) =>
      plan && m && !(unit !== undefined && !m.unitDeadlines?.[unit]) ? deadlineAdvice(plan, m, now, unit) : undefined;
    const next = after && now_ && !now_.paused ? await nextStage(deps.submissions, after, now_, now, unit) : undefined;
    const b = advice(before, old);
    const a = advice(after, now_);
    milestones.push({
      milestone: id,
      ...(unit ? { unit } : {}),
      ...(b ? { before: b } : {}),
      ...(a ? { after: a } : {}),
      ...(next ? { next } : {}),
    });
  }
  return {
    result,
    milestones,
    revisions: Object.fromEntries((before?.milestones ?? []).map((m) => [m.id, m.revision])),
  };
}

async function nextStage(
  submissions: SubmissionStore,
  plan: Parameters<typeof occurrencesOf>[0] & { id: string } & HolidaySources,
  milestone: Milestone & { unitDeadlines?: Readonly<Record<string, { deadline: string }>> },
  now: number,
  unit: string | undefined,
) {
  const next = occurrencesOf(plan, milestone).find((o) => o.instant > now && (unit === undefined || o.unit === unit));
  if (!next) return undefined;
  const delivered = new Set(
    (await submissions.listForMilestone(plan.id, milestone.id)).filter(counts).map((s) => s.unit),
  );
  return { stage: next.stage, wall: next.wall, units: next.units.filter((u) => !delivered.has(u)) };
}
