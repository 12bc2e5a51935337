import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeEventBridgeScheduleStore } from '../shared/adapters/schedulerWiring.js';
import { makeStores, type StoreAdapters } from '../shared/adapters/wiring.js';
import { readBaseConfig, readSchedulingConfig } from '../shared/config.js';
import { LocalScheduleStore } from '../shared/local/memoryScheduleStore.js';
import type { ScheduleStore } from '../shared/ports.js';
import { UsageError } from './io.js';

/** Where `npm run local` keeps its data and tells other commands how to reach it. */
export const LOCAL_DIR = resolve(process.env.DUBAN_LOCAL_DIR ?? '.duban');
export const LOCAL_STATE = resolve(LOCAL_DIR, 'local.json');
export const LOCAL_SCHEDULES = resolve(LOCAL_DIR, 'schedules.json');

export interface LocalState {
  readonly pid: number;
  readonly region: string;
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  readonly mailboxUrl: string;
  readonly startedAt: string;
}

/** The stores and schedule store a command works on: the running local stack, or AWS. */
export interface Target {
  readonly kind: 'local' | 'aws';
  readonly stores: StoreAdapters;
  readonly schedules: ScheduleStore;
  close(): void;
}

/** `--aws` or `DUBAN_TARGET=aws`: AWS through the stack's outputs in the environment; otherwise the local stack. */
export function wantsAws(flag: boolean | undefined): boolean {
  return Boolean(flag) || process.env.DUBAN_TARGET === 'aws';
}

export function openTarget(aws: boolean | undefined): Target {
  if (wantsAws(aws)) {
    const base = readBaseConfig();
    const stores = makeStores({ region: base.AWS_REGION }, base.TABLE_NAME);
    return {
      kind: 'aws',
      stores,
      schedules: makeEventBridgeScheduleStore(readSchedulingConfig(), base.AWS_REGION),
      close: () => stores.ddb.destroy(),
    };
  }
  const state = readLocalState();
  const stores = makeStores({ region: state.region, dynamodbEndpoint: state.dynamodbEndpoint }, state.tableName);
  return {
    kind: 'local',
    stores,
    schedules: new LocalScheduleStore(LOCAL_SCHEDULES),
    close: () => stores.ddb.destroy(),
  };
}

export function readLocalState(): LocalState {
  if (!existsSync(LOCAL_STATE)) {
    throw new UsageError('no local stack is running: start one with `npm run local` (or pass --aws to work on AWS)');
  }
  const state = JSON.parse(readFileSync(LOCAL_STATE, 'utf8')) as LocalState;
  try {
    process.kill(state.pid, 0);
  } catch {
    throw new UsageError(`the local stack (pid ${state.pid}) is not running any more: start it with \`npm run local\``);
  }
  return state;
}

/** `--now ISO` for commands that depend on the time; the system clock otherwise. */
export function clockFrom(now: string | undefined, parse: (s: string) => number) {
  if (now === undefined) return { now: () => Date.now() };
  const fixed = parse(now);
  return { now: () => fixed };
}
