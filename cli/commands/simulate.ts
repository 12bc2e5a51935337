import { type Command, InvalidArgumentError } from 'commander';
import { exitLadder } from '../../shared/domain/exits/ladder.js';
import { ledgerOf } from '../../shared/domain/exits/status.js';
import { planSchedule, type StageOccurrence } from '../../shared/domain/plan/ladder.js';
import { PlanValidationError, zodIssues } from '../../shared/domain/plan/validate.js';
import { formatInZone } from '../../shared/domain/time/wallClock.js';
import { DEFAULT_PORTAL_URL, runSimulation, type SimulationRun } from '../../sim/engine.js';
import {
  type FaultSpec,
  FaultSpecError,
  formatFaultSpec,
  parseFaultSpec,
  parseSeed,
} from '../../sim/faults/faultSpec.js';
import { renderReport } from '../../sim/report/renderReport.js';
import { writeReport } from '../../sim/report/writeReport.js';
import { type Scenario, scenarioSchema } from '../../sim/scenario.js';
import { EXIT, UsageError } from '../errors.js';
import { loadPlanFile, readUserFile } from '../io.js';
import { renderExitBoard } from '../output/exitOutput.js';
import { renderBoard, renderTimeline } from '../output/printTimeline.js';
import { describeDeadLetter, describeDeadNotice } from '../output/runnerOutput.js';

export function loadScenarioFile(file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readUserFile(file));
  } catch (cause) {
    if (cause instanceof PlanValidationError) throw cause;
    throw new PlanValidationError([{ path: '(scenario)', message: `is not JSON: ${(cause as Error).message}` }]);
  }
  const parsed = scenarioSchema.safeParse(json);
  if (!parsed.success)
    throw new PlanValidationError(zodIssues(parsed.error).map((i) => ({ ...i, path: `scenario.${i.path}` })));
  return parsed.data;
}

interface SimulateFlags {
  scenario?: string;
  json?: boolean;
  bodies?: boolean;
  report?: string | boolean;
  faults?: string;
  seed?: string;
  portalUrl: string;
}

/** `--portal-url`: an http(s) URL, which the links in the simulated notices start with. */
function portalUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // Refused below, with what to write.
  }
  throw new InvalidArgumentError(`must be an http(s) URL, e.g. https://duban.example.gov.cn, got "${value}"`);
}

/**
 * Retry waits inside an invocation (SES mailer, SDK) in a fault run, as a share of real time: the
 * clock is virtual, so waiting them in full would only make `ses-error=1` take many minutes.
 */
const FAULT_RUN_WAIT_SCALE = 0.02;

/** `--faults` and `--seed`, checked before anything starts; every problem of both is named. */
export function faultOptions(flags: Pick<SimulateFlags, 'faults' | 'seed'>): { faults?: FaultSpec; seed?: number } {
  const problems: string[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  if (flags.faults === undefined && flags.seed !== undefined)
    problems.push('--seed: only means something with --faults');
  const faults = flags.faults === undefined ? undefined : attempt(() => parseFaultSpec(flags.faults as string));
  const seed = flags.seed === undefined ? 1 : attempt(() => parseSeed(flags.seed as string));
  if (problems.length > 0) throw new UsageError(`invalid --faults/--seed: ${problems.join('; ')}`);
  return faults ? { faults, seed: seed as number } : {};
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate <planFile>')
    .description('run the plan on a virtual clock against the embedded stack (dynalite + local SES)')
    .option('--scenario <file>', 'events to apply at their times: submissions and calendar edits')
    .option('--json', 'print {notices, board} as JSON')
    .option('--bodies', "with --json: include each notice's text and html")
    .option('--report [path]', 'write a self-contained HTML report (a folder, or a file ending in .html)')
    .option('--portal-url <url>', 'where the personal links in notices point', portalUrl, DEFAULT_PORTAL_URL)
    .option(
      '--faults <spec>',
      'inject faults under the SDK clients, e.g. ses-throttle=0.3,ses-error=0.1,ddb-throttle=0.2,duplicate-delivery=2,crash-after=3',
    )
    .option(
      '--seed <n>',
      'seed of the fault draws: each request meets the same fault for the same spec and seed (default 1); with duplicate deliveries, which copy sends what still depends on timing',
    )
    .action(runSimulateCommand);
}

/** `simulate <planFile>`: the plan's year on a virtual clock; the timeline and board, or `{notices, board}`. */
export async function runSimulateCommand(planFile: string, flags: SimulateFlags): Promise<void> {
  if (flags.bodies && !flags.json) {
    throw new UsageError('--bodies only means something with --json (the report always has the bodies)');
  }
  const fault = faultOptions(flags);
  const plan = loadPlanFile(planFile);
  const scenario = flags.scenario ? loadScenarioFile(flags.scenario) : undefined;
  const wallStart = performance.now();
  let fired = 0;
  const run = await runSimulation({
    plan,
    ...(scenario ? { scenario } : {}),
    bodies: Boolean(flags.bodies || flags.report),
    portalUrl: flags.portalUrl,
    ...fault,
    ...(fault.faults ? { retryWaitScale: FAULT_RUN_WAIT_SCALE } : {}),
    // Progress on stderr, so stdout stays the timeline (or the JSON).
    onFiring: (firing, total) => {
      if (flags.json) return;
      // Retries are not new firings: they keep the count and say which retry they are.
      if (firing.attempt === 1) fired += 1;
      const when = formatInZone(firing.at, plan.timezone).replace('T', ' ').slice(0, 16);
      const which = firing.attempt > 1 ? `  retry ${firing.attempt - 1}` : '';
      // The runner says whether a retry is coming: "will retry" is never printed when none will.
      const result = firing.ok
        ? ''
        : firing.retryAt === undefined
          ? '  (failed: dead letter)'
          : '  (failed, will retry)';
      process.stderr.write(
        `  [${fired}/${total}] ${when}  ${firing.payload.milestone} ${firing.payload.stage}${which}${result}\n`,
      );
    },
  });
  const ms = Math.round(performance.now() - wallStart);
  const reportPath = flags.report ? await writeRunReport(run, flags.report) : undefined;
  if (flags.json) {
    const notices = flags.bodies ? run.result.notices : run.result.notices.map(({ text: _t, html: _h, ...n }) => n);
    console.log(JSON.stringify({ ...run.result, notices, ...(run.exits ? { ledger: run.exits } : {}) }, null, 2));
  } else {
    console.log(`\n${plan.title} — 督办时间线（模拟，${run.result.notices.length} 封通知）\n`);
    console.log(renderTimeline(plan, run.result.notices));
    console.log('\n督办看板（红/黄/绿）\n');
    console.log(renderBoard(plan, run.result.board, Boolean(process.stdout.isTTY)));
    if (run.exits) console.log(`\n落后产能退出台账\n\n${renderExitBoard(run.exits, Boolean(process.stdout.isTTY))}`);
    console.log(
      `\nsimulated ${run.firings.length} firings in ${ms} ms on the embedded stack (dynalite + aws-ses-v2-local)`,
    );
  }
  if (reportPath) (flags.json ? console.error : console.log)(`report: ${reportPath}`);
  for (const line of describeOutcome(run, plan.timezone)) console.error(line);
  process.exitCode = exitCodeOf(run);
}

/**
 * Everything on stderr that a run must not keep quiet about, in every run (not only fault runs):
 * refused scenario events, stages an edit moved into the past, the fault summary, notices owed but
 * unsent, and dead letters.
 */
export function describeOutcome(run: SimulationRun, zone: string): string[] {
  const when = (at: number) => formatInZone(at, zone);
  const lines: string[] = [];
  for (const e of run.scenarioErrors) lines.push(`scenario event at ${when(e.at)} refused: ${e.error}`);
  if (run.scenarioErrors.length > 0) lines.push(`scenario: ${run.scenarioErrors.length} events refused`);
  for (const n of run.notes) lines.push(`scenario event at ${when(n.at)}: ${n.message}`);
  if (run.faults) lines.push(...describeFaults(run));
  if (run.unsent.length > 0) {
    lines.push(`owed but unsent: ${run.unsent.length} notices (claimed or failed in the ledger)`);
    for (const r of run.unsent) {
      const who = r.unit.startsWith('*') ? r.units.join(',') : r.unit;
      lines.push(
        `  unsent: ${r.milestone} ${r.stage} at ${r.fireAt.replace('T', ' ').slice(0, 16)} to ${who} (${r.role}): ${r.state}${r.error ? `: ${r.error}` : ''}`,
      );
    }
  }
  for (const d of run.deadLetters) lines.push(describeDeadLetter(d));
  for (const d of run.deadNotices) lines.push(describeDeadNotice(d));
  lines.push(...describeDeliveryFailures(run));
  return lines;
}

/** Notices SES accepted (or would have dropped) that did not reach someone: each, and what the office heard. */
export function describeDeliveryFailures(run: Pick<SimulationRun, 'deliveryFailures' | 'officeMessages'>): string[] {
  const failures = run.deliveryFailures;
  if (failures.length === 0) return [];
  const count = (d: string) => failures.filter((r) => r.delivery === d).length;
  const lines = [
    `not delivered: ${failures.length} notices (${count('bounced')} bounced, ${count('complained')} complained, ` +
      `${count('suppressed')} suppressed); the coordinating group got ${run.officeMessages} messages naming them`,
  ];
  for (const r of failures) {
    const whose = (r.failedRecipients ?? []).join(', ');
    lines.push(
      `  not delivered: ${r.milestone} ${r.stage} at ${r.fireAt.replace('T', ' ').slice(0, 16)} to ${whose}: ` +
        `${r.delivery}${r.deliveryReason ? ` (${r.deliveryReason})` : ''}`,
    );
  }
  return lines;
}

/** 3 when something owed was not delivered (dead letters, unsent notices); 1 when scenario events were refused. */
export function exitCodeOf(run: SimulationRun): number {
  if (run.deadLetters.length > 0 || run.deadNotices.length > 0 || run.unsent.length > 0) return EXIT.unsent;
  if (run.scenarioErrors.length > 0) return EXIT.refused;
  return EXIT.ok;
}

/** The fault run's story for stderr: what was injected, what it cost, and what came out. */
export function describeFaults(run: SimulationRun): string[] {
  const f = run.faults;
  if (!f) return [];
  const c = f.counts;
  const retries = run.firings.filter((x) => x.attempt > 1).length;
  const firings = run.firings.length - retries;
  return [
    `\nfaults ${formatFaultSpec(f.spec)} (seed ${f.seed})`,
    `  injected: ${c.sesThrottle} SES throttles, ${c.sesError} SES 5xx, ${c.ddbThrottle} DynamoDB throttles, ` +
      `${c.crashes} crashes — in ${c.requests} requests`,
    `  invocations: ${firings} firings × ${f.spec.duplicateDelivery} deliveries, ${retries} retries ` +
      `(${run.firings.filter((x) => !x.ok).length} attempts failed)`,
    `  workers: ${run.workerInvocations.length} invocations (${run.workerInvocations.filter((w) => w.error).length} died), ` +
      `${run.workerInvocations.reduce((n, w) => n + w.redelivered, 0)} notices handed back for redelivery`,
    `  SES received ${f.emailsReceived} emails for ${run.result.notices.length} notices${closedNote(run)}: ${f.duplicates} duplicates ` +
      `(${c.unrecorded} messages SES accepted but their sender never recorded: a crash, or a ledger write that failed every retry)`,
    // The unsent notices themselves are listed below the summary, in every run.
    `  owed but unsent: ${run.unsent.length} notices`,
    `  dead letters: ${run.deadLetters.length} firings, ${run.deadNotices.length} notices`,
  ];
}

/** Notices closed without SES because every address was suppressed (they have no MessageId). */
function closedNote(run: SimulationRun): string {
  const closed = run.result.notices.filter((n) => n.messageId === '').length;
  return closed > 0 ? ` (${closed} not handed to SES: every address on the suppression list)` : '';
}

/** The exit ledger's firings over the items' dates, as the timeline draws a milestone's stages. */
function exitStages(run: SimulationRun): StageOccurrence[] {
  const ledger = ledgerOf(run.finalPlan);
  if (!ledger || !run.exits) return [];
  const dates = run.exits.units.flatMap((u) => u.items.map((i) => i.plannedDate));
  return exitLadder(run.finalPlan, ledger.id, dates).map((o) => ({
    milestone: o.milestone,
    step: o.triggers[0]?.step ?? 0,
    stage: o.stage,
    wall: o.wall,
    instant: o.instant,
    fireAt: o.fireAt,
    units: [],
    deadline: o.triggers[0]?.date ?? ledger.deadline,
  }));
}

async function writeRunReport(run: SimulationRun, target: string | boolean): Promise<string> {
  const html = renderReport({
    plan: run.finalPlan,
    schedule: [...planSchedule(run.finalPlan), ...exitStages(run)],
    result: run.result,
    ...(run.exits ? { exits: run.exits } : {}),
    // Never lost silently: what was owed and not delivered is in the report, first and in red; so is every
    // notice SES could not deliver.
    failures: { deadLetters: run.deadLetters, deadNotices: run.deadNotices, unsent: run.unsent },
    deliveryFailures: run.deliveryFailures,
    generatedAt: new Date().toISOString(),
  });
  return writeReport(html, typeof target === 'string' ? target : 'reports');
}
