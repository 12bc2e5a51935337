import { afterAll, beforeAll } from 'vitest';
import { type LocalPortal, startLocalPortal } from '../../cli/localPortal.js';
import { HmacSigner } from '../../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../../shared/adapters/local/localScheduleStore.js';
import { importPlan } from '../../shared/domain/calendar/importPlan.js';
import type { Log } from '../../shared/domain/log.js';
import { VirtualClock } from '../../shared/domain/time/clocks.js';
import { seedPlan, shanghai } from './seed.js';
import { type RealAdapters, realAdapters } from './stack.js';

/** Every line a component logged, with its attributes, for tests that read what went to the logs. */
export class RecordingLog implements Log {
  readonly lines: { level: string; message: string; attributes?: Record<string, unknown> }[] = [];
  info(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'info', message, ...(attributes ? { attributes } : {}) });
  }
  warn(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', message, ...(attributes ? { attributes } : {}) });
  }
  error(message: string, attributes?: Record<string, unknown>) {
    this.lines.push({ level: 'error', message, ...(attributes ? { attributes } : {}) });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

export interface PortalFixture {
  readonly a: RealAdapters;
  /** The schedules the plan was imported with: a reviewer's return, an approved extension and the office's edits reconcile them. */
  readonly schedules: LocalScheduleStore;
  readonly portal: LocalPortal;
  readonly clock: VirtualClock;
  readonly linkSigner: HmacSigner;
  readonly log: RecordingLog;
}

/**
 * The seed plan on a fresh table and the local portal over it (the real app, local S3 behind its policy
 * gate), for a describe block; the clock starts at `start` in Jiangmen.
 */
export function usePortal(start = '2021-05-27T10:00:00', options: { office?: boolean } = {}): () => PortalFixture {
  let fixture: PortalFixture | undefined;
  beforeAll(async () => {
    const a = await realAdapters();
    const clock = new VirtualClock(shanghai(start));
    const schedules = new LocalScheduleStore();
    await importPlan({ calendar: a.calendar, schedules, clock }, seedPlan(), 'test');
    const linkSigner = HmacSigner.ephemeral('link');
    const log = new RecordingLog();
    const portal = await startLocalPortal({
      stores: a,
      mailer: a.mailer,
      schedules,
      region: 'us-east-1',
      linkSigner,
      sessionSigner: HmacSigner.ephemeral('session'),
      clock,
      log,
      ...(options.office
        ? {
            office: {
              ...a,
              schedules,
              staffSigner: HmacSigner.ephemeral('staff'),
              portal: { baseUrl: 'http://127.0.0.1', signer: linkSigner },
            },
          }
        : {}),
    });
    fixture = { a, portal, schedules, clock, linkSigner, log };
  });
  afterAll(async () => {
    await fixture?.portal.stop();
    fixture?.a.ddb.destroy();
    fixture?.a.ses.destroy();
  });
  return () => {
    if (!fixture) throw new Error('usePortal: read the fixture inside a test');
    return fixture;
  };
}
