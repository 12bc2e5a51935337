import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScheduleSpec, ScheduleStore } from '../ports.js';
import { instantOf } from '../time/wallClock.js';

/**
 * The schedule store of the embedded stack (EventBridge Scheduler has no local stand-in): schedules
 * in memory, optionally persisted to a JSON file so `npm run local` survives a restart.
 */
export class LocalScheduleStore implements ScheduleStore {
  private readonly schedules = new Map<string, ScheduleSpec>();
  /** Requests that changed the store, for measurements. */
  writes = 0;

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      for (const spec of JSON.parse(readFileSync(file, 'utf8')) as ScheduleSpec[])
        this.schedules.set(keyOf(spec.plan, spec.name), spec);
    }
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    return [...this.schedules.values()].filter((s) => s.plan === planId);
  }

  async create(spec: ScheduleSpec): Promise<void> {
    if (this.schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} already exists`);
    this.put(spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    if (!this.schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} does not exist`);
    this.put(spec);
  }

  async delete(planId: string, name: string): Promise<void> {
    if (this.schedules.delete(keyOf(planId, name))) this.changed();
  }

  /** Every schedule due at or before `now`, earliest first. */
  due(now: number): ScheduleSpec[] {
    return this.all().filter((s) => instantOf(s.at, s.timezone) <= now);
  }

  /** The earliest fire time still held, if any. */
  next(): number | undefined {
    return this.all()
      .map((s) => instantOf(s.at, s.timezone))
      .at(0);
  }

  all(): ScheduleSpec[] {
    return [...this.schedules.values()].sort(
      (a, b) => instantOf(a.at, a.timezone) - instantOf(b.at, b.timezone) || a.name.localeCompare(b.name),
    );
  }

  private put(spec: ScheduleSpec): void {
    this.schedules.set(keyOf(spec.plan, spec.name), spec);
    this.changed();
  }

  private changed(): void {
    this.writes += 1;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.schedules.values()], null, 1));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

const keyOf = (plan: string, name: string) => `${plan}/${name}`;
