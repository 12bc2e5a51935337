import type { Unit } from '../plan/schema.js';
import {
  type AuditRecord,
  type CalendarStore,
  type CalendarWrite,
  ConcurrentEditError,
  type HolidayYear,
  type StoredMilestone,
  type StoredPlan,
  type UnitDeadline,
} from '../ports.js';
import { officeHolidaysOf } from '../time/workdays.js';
import { applyWritesInTurn } from './calendarWrites.js';

/**
 * A calendar for dry runs: it reads through to a real one (or starts empty) and keeps every write in
 * memory, so the very code of an edit or an import (validation, revision checks, audit, reconcile) runs
 * against it and nothing reaches the store. The revision checks are the real store's, on the copy.
 *
 * Like the DynamoDB store, a milestone removed here and added again carries on from its last revision.
 * One difference: the copy cannot see tombstones the real store already holds, so a milestone removed
 * before the dry run and added in it shows revision 1 here where the real store would carry on.
 */
export class ScratchCalendar implements CalendarStore {
  readonly #base: CalendarStore | undefined;
  readonly #plans = new Map<string, StoredPlan | undefined>();
  readonly #audit: AuditRecord[] = [];
  /** Last revision of each milestone removed here, by `plan#milestone`. */
  readonly #retired = new Map<string, number>();
  /** Link versions rotated here, by `plan#unit`. */
  readonly #linkVersions = new Map<string, number>();
  /** 放假安排 entered here, by year (over the real calendar's). */
  readonly #holidayYears = new Map<number, HolidayYear>();

  constructor(base?: CalendarStore) {
    this.#base = base;
  }

  async loadPlan(planId: string): Promise<StoredPlan | undefined> {
    const plan = structuredClone(await this.#plan(planId));
    if (!plan || this.#holidayYears.size === 0) return plan;
    // The years entered here count as the real calendar's would: with every plan.
    const { officeHolidays: _o, ...rest } = plan;
    const officeHolidays = officeHolidaysOf(await this.listHolidayYears());
    return { ...rest, ...(officeHolidays ? { officeHolidays } : {}) };
  }

  async listHolidayYears(): Promise<HolidayYear[]> {
    const years = new Map(((await this.#base?.listHolidayYears()) ?? []).map((y) => [y.year, y]));
    for (const [year, entry] of this.#holidayYears) years.set(year, structuredClone(entry));
    return [...years.values()].sort((a, b) => a.year - b.year);
  }

  async putHolidayYear(year: HolidayYear, audit: AuditRecord): Promise<void> {
    await this.appendAudit(audit);
    this.#holidayYears.set(year.year, structuredClone(year));
  }

  async listPlans(): Promise<string[]> {
    const base = (await this.#base?.listPlans()) ?? [];
    const local = [...this.#plans].filter(([, plan]) => plan !== undefined).map(([id]) => id);
    return [...new Set([...base, ...local])];
  }

  async savePlan(plan: StoredPlan): Promise<void> {
    this.#plans.set(plan.id, structuredClone(plan));
  }

  async putMilestone(
    planId: string,
    milestone: StoredMilestone,
    expectedRevision: number | undefined,
  ): Promise<number> {
    const plan = await this.#required(planId);
    const current = plan.milestones.find((m) => m.id === milestone.id);
    if (current?.revision !== expectedRevision) {
      throw new ConcurrentEditError(`milestone "${milestone.id}" was changed by someone else; reload and try again`);
    }
    const retired = current ? undefined : this.#retired.get(`${planId}#${milestone.id}`);
    // Units' own dates live beside the milestone (as in the DynamoDB store): an edit of it keeps them.
    const own = current?.unitDeadlines;
    const written = {
      ...structuredClone(milestone),
      revision: Math.max(milestone.revision, (retired ?? 0) + 1),
      ...(own ? { unitDeadlines: own } : {}),
    };
    const milestones = current
      ? plan.milestones.map((m) => (m.id === milestone.id ? written : m))
      : [...plan.milestones, written];
    this.#plans.set(planId, { ...plan, milestones });
    return written.revision;
  }

  async deleteMilestone(planId: string, milestoneId: string, expectedRevision: number): Promise<void> {
    const plan = await this.#required(planId);
    if (plan.milestones.find((m) => m.id === milestoneId)?.revision !== expectedRevision) {
      throw new ConcurrentEditError(`milestone "${milestoneId}" was changed by someone else; reload and try again`);
    }
    this.#retired.set(`${planId}#${milestoneId}`, expectedRevision);
    this.#plans.set(planId, { ...plan, milestones: plan.milestones.filter((m) => m.id !== milestoneId) });
  }

  async putUnit(planId: string, unit: Unit): Promise<void> {
    const plan = await this.#required(planId);
    const units = plan.units.some((u) => u.id === unit.id)
      ? plan.units.map((u) => (u.id === unit.id ? structuredClone(unit) : u))
      : [...plan.units, structuredClone(unit)];
    this.#plans.set(planId, { ...plan, units });
  }

  /** All or nothing, as the real stores: a refused write puts the copy back as it was. */
  async commitEdit(
    planId: string,
    writes: readonly CalendarWrite[],
    audit: AuditRecord,
  ): Promise<(number | undefined)[]> {
    const plan = structuredClone(await this.#plan(planId));
    const retired = new Map(this.#retired);
    const links = new Map(this.#linkVersions);
    try {
      const revisions = await applyWritesInTurn(this, planId, writes);
      await this.appendAudit(audit);
      return revisions;
    } catch (error) {
      this.#plans.set(planId, plan);
      this.#retired.clear();
      for (const [k, v] of retired) this.#retired.set(k, v);
      this.#linkVersions.clear();
      for (const [k, v] of links) this.#linkVersions.set(k, v);
      throw error;
    }
  }

  async appendAudit(record: AuditRecord): Promise<void> {
    if (this.#audit.some((r) => r.plan === record.plan && r.at === record.at && r.id === record.id)) {
      throw new Error(`audit record ${record.id} already exists`);
    }
    this.#audit.push(structuredClone(record));
  }

  async listAudit(planId: string): Promise<AuditRecord[]> {
    const base = (await this.#base?.listAudit(planId)) ?? [];
    return [...base, ...this.#audit.filter((r) => r.plan === planId)];
  }

  async setUnitDeadline(
    planId: string,
    milestoneId: string,
    unitId: string,
    date: Omit<UnitDeadline, 'revision'>,
  ): Promise<UnitDeadline> {
    const plan = await this.#required(planId);
    const milestone = plan.milestones.find((m) => m.id === milestoneId);
    if (!milestone) throw new Error(`no milestone "${milestoneId}" in the scratch calendar`);
    const written = { ...date, revision: (milestone.unitDeadlines?.[unitId]?.revision ?? 0) + 1 };
    const milestones = plan.milestones.map((m) =>
      m.id === milestoneId ? { ...m, unitDeadlines: { ...m.unitDeadlines, [unitId]: written } } : m,
    );
    this.#plans.set(planId, { ...plan, milestones });
    return written;
  }

  async linkVersion(planId: string, unitId: string): Promise<number> {
    return this.#linkVersions.get(`${planId}#${unitId}`) ?? (await this.#base?.linkVersion(planId, unitId)) ?? 1;
  }

  async rotateLink(planId: string, unitId: string): Promise<number> {
    const next = (await this.linkVersion(planId, unitId)) + 1;
    this.#linkVersions.set(`${planId}#${unitId}`, next);
    const plan = this.#plans.get(planId);
    if (plan) this.#plans.set(planId, { ...plan, linkVersions: { ...plan.linkVersions, [unitId]: next } });
    return next;
  }

  /** The audit records the dry run would have written. */
  pendingAudit(): readonly AuditRecord[] {
    return [...this.#audit];
  }

  async #plan(planId: string): Promise<StoredPlan | undefined> {
    if (!this.#plans.has(planId)) this.#plans.set(planId, await this.#base?.loadPlan(planId));
    return this.#plans.get(planId);
  }

  async #required(planId: string): Promise<StoredPlan> {
    const plan = await this.#plan(planId);
    if (!plan) throw new Error(`plan "${planId}" is not in the scratch calendar`);
    return plan;
  }
}
