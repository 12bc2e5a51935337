import { startLocalPortal } from '../cli/localPortal.js';
import { makeDynamoClients } from '../shared/adapters/aws/clients.js';
import { ensureTable } from '../shared/adapters/aws/dynamo/table.js';
import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import { makeMailer, makeStores } from '../shared/adapters/aws/wiring.js';
import type { EmbeddedStack } from '../shared/adapters/local/embeddedStack.js';
import { HmacSigner } from '../shared/adapters/local/keyFileSigner.js';
import { LocalScheduleStore } from '../shared/adapters/local/localScheduleStore.js';
import { LocalWorkQueue } from '../shared/adapters/local/localWorkQueue.js';
import { importPlan } from '../shared/domain/calendar/importPlan.js';
import { dispatchStage } from '../shared/domain/dispatch/dispatch.js';
import { noticeWorkSchema } from '../shared/domain/dispatch/noticeWork.js';
import { sendNotices } from '../shared/domain/dispatch/sendNotices.js';
import { mintUnitLink } from '../shared/domain/links/unitLink.js';
import { silentLog } from '../shared/domain/log.js';
import { planSchedule } from '../shared/domain/plan/ladder.js';
import { VirtualClock } from '../shared/domain/time/clocks.js';
import { instantOf } from '../shared/domain/time/wallClock.js';
import { loadSeedPlan } from './reconcile.js';
import { round } from './round.js';

export interface PortalBenchResult {
  /** The unit page's HTML plus its stylesheet, bytes (goal ≤ 60 KB). */
  readonly pageBytes: number;
  readonly htmlBytes: number;
  readonly cssBytes: number;
  /** Rendering the unit page on the local stack, ms over `requests` requests. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly requests: number;
  /** Notices the measured page lists (a busy unit: every stage of its year sent). */
  readonly noticesOnPage: number;
}

/**
 * The unit page as a unit sees it late in the year, when every stage of the seed plan has reached it:
 * served by the local portal over HTTP (the real app, the SDK against dynalite), `requests` times.
 */
export async function runPortalBench(options: { stack: EmbeddedStack; requests: number }): Promise<PortalBenchResult> {
  const { stack } = options;
  const endpoints = { region: stack.region, dynamodbEndpoint: stack.dynamodbEndpoint, sesEndpoint: stack.sesEndpoint };
  const table = 'bench-portal';
  const { ddb } = makeDynamoClients(endpoints);
  await ensureTable(ddb, table);
  ddb.destroy();
  const stores = makeStores(endpoints, table);
  const { mailer, ses } = makeMailer(endpoints, { sender: 'bench@jiangmen.example', maxSendRate: 500 });
  const plan = loadSeedPlan();
  const clock = new VirtualClock(instantOf('2021-04-01T00:00:00', plan.timezone));
  const linkSigner = HmacSigner.ephemeral('bench-link');
  const schedules = new LocalScheduleStore();
  const portal = await startLocalPortal({
    stores,
    mailer,
    schedules,
    region: stack.region,
    linkSigner,
    sessionSigner: HmacSigner.ephemeral('bench-session'),
    clock,
    log: silentLog,
  });
  try {
    await importPlan({ calendar: stores.calendar, schedules, clock }, plan, 'bench');
    // Every stage of the year, in order: the page then lists all the unit's notices.
    const deps = { ...stores, clock, log: silentLog, portal: { baseUrl: portal.url, signer: linkSigner } };
    for (const o of planSchedule(plan)) {
      clock.advanceTo(o.instant);
      // Through the fan-out: dispatch enqueues, one worker sends what it enqueued.
      const queue = new LocalWorkQueue({ clock });
      await dispatchStage({ ...deps, queue }, { plan: plan.id, milestone: o.milestone, stage: o.stage, revision: 1 });
      const messages = await queue.receive(Number.MAX_SAFE_INTEGER);
      await sendNotices(
        { ...deps, mailer },
        messages.map((m) => noticeWorkSchema.parse(decodeNotice(m.body))),
      );
    }
    const unit = 'enping';
    const token = await mintUnitLink(linkSigner, {
      plan: plan.id,
      unit,
      version: 1,
      expires: Math.floor(clock.now() / 1000) + 86_400,
    });
    const opened = await fetch(`${portal.url}/u/${token}`, { redirect: 'manual' });
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const pageUrl = `${portal.url}/plans/${plan.id}/units/${unit}`;
    const get = () => fetch(pageUrl, { headers: { cookie } });
    const html = await (await get()).text();
    const css = await (await fetch(`${portal.url}/assets/portal.css`)).text();
    // A few warm-up requests (connections, JIT), then the measured ones, one after another.
    for (let i = 0; i < 10; i++) await (await get()).text();
    const times: number[] = [];
    for (let i = 0; i < options.requests; i++) {
      const started = performance.now();
      await (await get()).text();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
    const htmlBytes = Buffer.byteLength(html);
    const cssBytes = Buffer.byteLength(css);
    return {
      pageBytes: htmlBytes + cssBytes,
      htmlBytes,
      cssBytes,
      p50Ms: round(at(0.5)),
      p95Ms: round(at(0.95)),
      requests: options.requests,
      noticesOnPage: (html.match(/<tr>/g) ?? []).length - 2,
    };
  } finally {
    await portal.stop();
    stores.ddb.destroy();
    ses.destroy();
  }
}
