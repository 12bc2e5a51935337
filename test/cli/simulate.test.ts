import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/errors.js';
import type { Plan } from '../../shared/domain/plan/schema.js';
import { runCli } from '../support/cli.js';
import { seedPlan } from '../support/seed.js';

/** `simulate` as a user runs it: its own process, its own embedded stack. */
const simulate = (...args: string[]) => runCli(['simulate', ...args], { timeout: 90_000 });

const dir = mkdtempSync(join(tmpdir(), 'duban-simulate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The seed plan cut to some of its milestones, to keep each run short. */
function seedWith(name: string, milestones: readonly string[]): string {
  const plan = seedPlan();
  const file = join(dir, name);
  const cut: Plan = { ...plan, milestones: plan.milestones.filter((m) => milestones.includes(m.id)) };
  writeFileSync(file, JSON.stringify(cut));
  return file;
}

function scenario(name: string, events: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ events }));
  return file;
}

describe('simulate on the command line', () => {
  it('refuses --bodies without --json before anything starts', async () => {
    // Prepare
    const reports = join(dir, 'bodies-reports');

    // Act
    const run = await simulate(seedWith('bodies.json', ['city-plan']), '--bodies', '--report', reports);

    // Assess
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr.trim()).toBe('--bodies only means something with --json (the report always has the bodies)');
    expect(run.stdout).toBe('');
    expect(existsSync(reports)).toBe(false);
  });

  it('exits 1 when scenario events were refused, and says what an edit moved into the past', async () => {
    // Prepare: one submission by a unit that is not responsible (refused), and a deadline moved
    // earlier on 27 May, after its first reminder: the stages now before that moment are skipped.
    const plan = seedWith('district.json', ['district-plans']);
    const events = scenario('refused.json', [
      { at: '2021-05-25T10:00:00+08:00', submit: { milestone: 'district-plans', unit: 'gxj' } },
      { at: '2021-05-27T12:00:00+08:00', setDeadline: { milestone: 'district-plans', deadline: '2021-05-26' } },
    ]);

    // Act
    const run = await simulate(plan, '--scenario', events, '--json');

    // Assess: the JSON contract is untouched; the refusal and the skipped stages are on stderr.
    expect(run.code).toBe(1);
    expect(Object.keys(JSON.parse(run.stdout)).sort()).toEqual(['board', 'notices']);
    expect(run.stderr).toMatch(
      /^scenario event at 2021-05-25T10:00:00\+08:00 refused: unit "gxj" is not responsible for milestone "district-plans"$/m,
    );
    expect(run.stderr).toMatch(/^scenario: 1 events refused$/m);
    expect(run.stderr).toMatch(
      /^scenario event at 2021-05-27T12:00:00\+08:00: skipped: district-plans reminder at 2021-05-25 09:00 is now in the past and will not be sent$/m,
    );
    expect(run.stderr).toMatch(
      /^scenario event at 2021-05-27T12:00:00\+08:00: skipped: district-plans due at 2021-05-26 09:00 is now in the past and will not be sent$/m,
    );
  }, 120_000);

  it('lists the notices owed but unsent, exits 3, and puts them and the dead letters in the report', async () => {
    // Prepare
    const plan = seedWith('faulty.json', ['city-plan']);
    const reports = join(dir, 'fault-reports');

    // Act
    const run = await simulate(plan, '--faults', 'ses-error=1', '--seed', '3', '--report', reports);

    // Assess: stderr names each unsent notice; the report leads with them, in red.
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^owed but unsent: 22 notices \(claimed or failed in the ledger\)$/m);
    expect(run.stderr).toMatch(/^ {2}unsent: city-plan overdue at 2021-05-06 09:00 to gxj \(supervisor\): failed: /m);
    expect(run.stderr).toMatch(
      /^dead notice: city-plan overdue at 2021-05-06 09:00 to gxj \(supervisor\) after 5 deliveries$/m,
    );
    const [file] = readdirSync(reports);
    const html = readFileSync(join(reports, file ?? ''), 'utf8');
    expect(html).toContain('<section class="card alert" id="failures" role="alert">');
    // 市工业和信息化局's reminders, due notice and four rounds of 催办 and 督办函, and the 函 to its 11 partners.
    expect(html).toContain('未送达：0 个督办环节、22 封通知进入死信，22 封应发通知未发出');
    expect(html.split('<tr class="dead-letter">').length - 1).toBe(22);
    expect(html.split('<tr class="unsent">').length - 1).toBe(22);
    // Two panels draw each of the seven failed stages; none is drawn as a stage nobody was owed.
    expect(html.split('data-state="failed"').length - 1).toBe(14);
    expect(html).not.toContain('计划发送时间；本次未发送');
  }, 120_000);

  it('injects bounces: each notice says its delivery, stderr and the report name the failures, exit 0', async () => {
    // Prepare
    const plan = seedWith('bounces.json', ['district-plans']);
    const reports = join(dir, 'bounce-reports');

    // Act
    const run = await simulate(plan, '--json', '--faults', 'bounce=0.5', '--seed', '3', '--report', reports);

    // Assess: a bounced address gets nothing more; every later notice to it alone is reported suppressed.
    expect(run.code).toBe(0);
    const { notices, board } = JSON.parse(run.stdout) as {
      notices: { delivery?: string; messageId: string; to: string[] }[];
      board: { deliveryFailure?: unknown }[];
    };
    expect(notices.every((n) => ['delivered', 'bounced', 'complained', 'suppressed'].includes(n.delivery ?? ''))).toBe(
      true,
    );
    expect(notices.some((n) => n.delivery === 'bounced')).toBe(true);
    expect(notices.some((n) => n.delivery === 'suppressed' && n.messageId === '')).toBe(true);
    expect(board.some((r) => r.deliveryFailure)).toBe(true);
    expect(run.stderr).toMatch(
      /^not delivered: \d+ notices \(\d+ bounced, 0 complained, \d+ suppressed\); the coordinating group got \d+ messages naming them$/m,
    );
    expect(run.stderr).toMatch(
      /^ {2}not delivered: district-plans reminder at 2021-05-24 09:00 to \w+#unit: bounced \(Permanent\/General 5\.1\.1\)$/m,
    );
    const [file] = readdirSync(reports);
    const html = readFileSync(join(reports, file ?? ''), 'utf8');
    expect(html).toContain('<section class="card alert" id="undelivered" role="alert">');
    expect(html.split('<tr class="undelivered">').length - 1).toBe(
      notices.filter((n) => n.delivery === 'bounced' || n.delivery === 'suppressed').length,
    );
  }, 120_000);
});
