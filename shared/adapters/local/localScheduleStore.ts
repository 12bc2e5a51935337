import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScheduleSpec, ScheduleStore } from '../../domain/ports.js';
import { instantOf } from '../../domain/time/wallClock.js';
import { writeFileAtomic } from './atomicFile.js';
import { withFileLock } from './fileLock.js';

/**
 * The schedule store of the embedded stack (EventBridge Scheduler has no local stand-in): schedules
 * in memory, optionally persisted to a JSON file so `npm run local` survives a restart.
 */
export class LocalScheduleStore implements ScheduleStore {
  private readonly schedules = new Map<string, ScheduleSpec>();
  /** Requests that changed the store, for measurements. */
  writes = 0;
  /** Which version of the file the map holds: inode, mtime and size (a rename gives a new inode). */
  private loaded = '';

  /**
   * With a `file`, the file is the truth: the `local up` runner and CLI edits in other processes share
   * it, so every read picks up the others' writes (re-read only when the file changed), and every
   * change is a read-modify-write under a lock file (`<file>.lock`), re-reading the file first, so
   * no process writes back a copy that misses another's change.
   */
  constructor(private readonly file?: string) {
    this.reload();
  }

  async list(planId: string): Promise<ScheduleSpec[]> {
    this.reload();
    return [...this.schedules.values()].filter((s) => s.plan === planId);
  }

  async create(spec: ScheduleSpec): Promise<void> {
    await this.change((schedules) => {
      if (schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} already exists`);
      schedules.set(keyOf(spec.plan, spec.name), spec);
      return true;
    });
  }

  async update(spec: ScheduleSpec): Promise<void> {
    await this.change((schedules) => {
      if (!schedules.has(keyOf(spec.plan, spec.name))) throw new Error(`schedule ${spec.name} does not exist`);
      schedules.set(keyOf(spec.plan, spec.name), spec);
      return true;
    });
  }

  async delete(planId: string, name: string): Promise<void> {
    await this.change((schedules) => schedules.delete(keyOf(planId, name)));
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

  /** Applies `edit` (true when it changed something) to the latest content and writes it back. */
  private async change(edit: (schedules: Map<string, ScheduleSpec>) => boolean): Promise<void> {
    const file = this.file;
    if (!file) {
      if (edit(this.schedules)) this.writes += 1;
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    await withFileLock(`${file}.lock`, () => {
      this.reload(true);
      if (!edit(this.schedules)) return;
      this.writes += 1;
      try {
        writeFileAtomic(file, JSON.stringify([...this.schedules.values()], null, 1));
      } catch (error) {
        this.loaded = ''; // The map now holds a change the file does not: read the file again next time.
        throw error;
      }
      this.loaded = versionOf(file);
    });
  }

  private reload(force = false): void {
    if (!this.file) return;
    const version = versionOf(this.file);
    if (version === '') {
      // Not written yet (or removed): nothing is scheduled.
      this.schedules.clear();
      this.loaded = '';
      return;
    }
    if (version === this.loaded && !force) return;
    this.schedules.clear();
    for (const spec of JSON.parse(readFileSync(this.file, 'utf8')) as ScheduleSpec[]) {
      this.schedules.set(keyOf(spec.plan, spec.name), spec);
    }
    this.loaded = version;
  }
}

/** Identifies one version of the file ('' when there is none): every write is a rename onto a new inode. */
function versionOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.mtimeMs}:${s.size}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

const keyOf = (plan: string, name: string) => `${plan}/${name}`;
