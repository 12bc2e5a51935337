import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/errors.js';
import { createScheduleInput } from '../../shared/adapters/aws/scheduler/eventBridgeScheduleStore.js';
import { placeholderTargets } from '../../shared/adapters/aws/scheduler/placeholderArns.js';
import { type LocalTarget, localTarget } from '../support/localTarget.js';

/**
 * `--now` and `--dry-run` of the commands that change the calendar, as an admin types them, each a
 * separate process, against a target that looks to them exactly like a running `npm run local`.
 */
describe('calendar commands against a live local stack', () => {
  const PLAN = 'jiangmen-2021';
  let t: LocalTarget;
  beforeAll(async () => {
    t = await localTarget([PLAN]);
  });
  afterAll(() => t.close());

  describe('--now on a command that changes the calendar', () => {
    it.each([
      ['set-deadline', ['calendar', 'set-deadline', PLAN, 'district-plans', '2021-06-15']],
      ['sync', ['calendar', 'sync', PLAN]],
      ['import', ['calendar', 'import', 'plans/jiangmen-2021.json']],
      ['pause', ['calendar', 'pause', PLAN, 'district-plans']],
    ])('refuses %s --now without --dry-run as a usage error (exit 2), and changes nothing', async (command, args) => {
      // Prepare
      const before = await t.snapshot();

      // Act
      const out = await t.cli(...args, '--now', '2021-05-20T00:00:00+08:00');

      // Assess
      expect(out.code).toBe(EXIT.usage);
      expect(out.stderr.trim()).toBe(
        `calendar ${command}: --now works only with --dry-run. A live stack (local or AWS) runs on the real ` +
          'clock, so changing it "at" another time would schedule stages for the wrong moments; --now is for ' +
          'previews. Add --dry-run to preview the change at 2021-05-20T00:00:00+08:00, or drop --now to apply it now.',
      );
      expect(await t.snapshot()).toEqual(before);
    });

    it('keeps --now for commands that only read: list', async () => {
      // Act
      const out = await t.cli('calendar', 'list', PLAN, '--json', '--now', '2021-05-20T00:00:00+08:00');

      // Assess
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).find((m: { id: string }) => m.id === 'district-plans')).toMatchObject({
        revision: 1,
        next: 'reminder 2021-05-24T09:00:00+08:00',
      });
    });
  });

  describe('--dry-run of an edit', () => {
    it('validates it and shows the change, the revisions and the schedule requests, writing nothing', async () => {
      // Prepare
      const before = await t.snapshot();

      // Act
      const out = await t.cli(
        'calendar',
        'set-deadline',
        PLAN,
        'district-plans',
        '2021-06-15',
        '--dry-run',
        '--now',
        '2021-05-20T00:00:00+08:00',
      );

      // Assess
      expect(out.code).toBe(0);
      const lines = out.stdout.split('\n');
      expect(lines.slice(0, 4)).toEqual([
        'dry run on the local stack: the edit is valid; nothing was written',
        'deadline: 2021-05-31 → 2021-06-15',
        'district-plans: revision 1 → 2',
        'schedules: 0 created, 6 updated, 0 deleted, 30 unchanged',
      ]);
      expect(out.stdout).toMatch(
        /update\s+duban-jiangmen-2021\/district-plans\.2-due\s+at\(2021-06-15T09:00:00\)\s+Asia\/Shanghai\s+due\s+2/,
      );
      expect(out.stdout).toContain('6 request(s) (dry run: nothing sent)');
      expect(await t.snapshot()).toEqual(before);
    });

    it('prints the edit and the exact UpdateSchedule requests as JSON with --json', async () => {
      // Act
      const out = await t.cli(
        'calendar',
        'set-deadline',
        PLAN,
        'district-plans',
        '2021-06-15',
        '--dry-run',
        '--json',
        '--now',
        '2021-05-20T00:00:00+08:00',
      );

      // Assess
      const result = JSON.parse(out.stdout);
      expect(result).toMatchObject({
        dryRun: true,
        plan: PLAN,
        bumped: [{ milestone: 'district-plans', from: 1, to: 2 }],
        changes: [{ field: 'deadline', before: '2021-05-31', after: '2021-06-15' }],
        reconcile: { updated: expect.any(Array), writes: 6 },
      });
      const due = (await t.schedules.list(PLAN)).find((s) => s.name === 'district-plans.2-due');
      if (!due) throw new Error('the import made no due schedule');
      const moved = { ...due, at: '2021-06-15T09:00:00', payload: { ...due.payload, revision: 2 } };
      expect(result.requests).toContainEqual({
        op: 'update',
        request: createScheduleInput(moved, { groupPrefix: 'duban-', ...placeholderTargets() }),
      });
      expect(result.requests.map((r: { op: string }) => r.op)).toEqual(Array(6).fill('update'));
    });

    it('refuses a unit the plan does not have, listing the valid ones, even in a dry run', async () => {
      // Act
      const out = await t.cli('calendar', 'add-responsible', PLAN, 'district-plans', 'ghost', '--dry-run');

      // Assess
      expect(out.code).toBe(1);
      expect(out.stderr.trim()).toMatch(
        /^没有名为“ghost”的单位。可用的单位：gxj（市工业和信息化局）、.*jianghai（江海区人民政府）/,
      );
    });
  });

  describe('calendar sync <plan> --dry-run', () => {
    it('reads the stack’s schedules and prints only the requests that would change them, sending nothing', async () => {
      // Prepare: the runner's file lost one schedule.
      const missing = (await t.schedules.list(PLAN)).find((s) => s.name === 'capacity-report.1-reminder');
      if (!missing) throw new Error('the import made no capacity-report reminder');
      await t.schedules.delete(PLAN, missing.name);
      const before = await t.snapshot();

      // Act
      const json = await t.cli('calendar', 'sync', PLAN, '--dry-run', '--json', '--now', '2021-04-02T00:00:00+08:00');
      const text = await t.cli('calendar', 'sync', PLAN, '--dry-run', '--now', '2021-04-02T00:00:00+08:00');

      // Assess: exactly the file dry run's shape, one create; the file still lacks the schedule.
      expect(JSON.parse(json.stdout)).toEqual([
        { op: 'create', request: createScheduleInput(missing, { groupPrefix: 'duban-', ...placeholderTargets() }) },
      ]);
      expect(text.stdout).toMatch(
        /create\s+duban-jiangmen-2021\/capacity-report\.1-reminder\s+at\(2021-06-11T09:00:00\)\s+Asia\/Shanghai\s+reminder\s+1/,
      );
      expect(text.stdout).toContain('1 request(s) (dry run: nothing sent)');
      expect(await t.snapshot()).toEqual(before);
      await t.schedules.create(missing);
    });
  });
});
