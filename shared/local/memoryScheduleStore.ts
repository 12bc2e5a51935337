import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
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
  private loadedMtime = -1;

  /**
   * With a `file`, the file is the truth: the `local up` runner and a CLI edit in another process
   * share it, so every read picks up the other's writes (re-read only when the file changed).
   */
  constructor(private readonly file?: string) {
    this.reload();
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    this.reload();
    return [...this.schedules.values()].filter((s) => s.plan === planId);
  }

  async create(spec: ScheduleSpec): Promise<void> {
    this.reload();
    if (this.schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} already exists`);
    this.put(spec);
  }

  async update(spec: ScheduleSpec): Promise<void> {
    this.reload();
    if (!this.schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} does not exist`);
    this.put(spec);
  }

  async delete(planId: string, name: string): Promise<void> {
    this.reload();
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
    this.reload();
    return [...this.schedules.values()].sort(
      (a, b) => instantOf(a.at, a.timezone) - instantOf(b.at, b.timezone) || a.name.localeCompare(b.name),
    );
  }

  private reload(): void {
    if (!this.file || !existsSync(this.file)) return;
    const mtime = statSync(this.file).mtimeMs;
    if (mtime === this.loadedMtime) return;
    this.schedules.clear();
    for (const spec of JSON.parse(readFileSync(this.file, 'utf8')) as ScheduleSpec[]) {
      this.schedules.set(keyOf(spec.plan, spec.name), spec);
    }
    this.loadedMtime = mtime;
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
    this.loadedMtime = statSync(this.file).mtimeMs;
  }
}

const keyOf = (plan: string, name: string) => `${plan}/${name}`;
