import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/errors.js';
import { type LocalTarget, localTarget } from '../support/localTarget.js';

/** A milestone of the seed file exactly as written there. */
const seedMilestone = (id: string): Record<string, unknown> =>
  (JSON.parse(readFileSync('plans/jiangmen-2021.json', 'utf8')).milestones as { id: string }[]).find(
    (m) => m.id === id,
  ) as Record<string, unknown>;

/** The milestone and contact edits of the CLI, applied for real on a live local stack (see localTarget). */
describe('calendar edit commands against a live local stack', () => {
  const EDITED = 'jiangmen-edit';
  let t: LocalTarget;
  beforeAll(async () => {
    t = await localTarget([EDITED]);
  });
  afterAll(() => t.close());

  describe('milestones', () => {
    const milestoneFile = () => join(t.dir, 'extra-report.json');

    it('adds a milestone from a file, removes it, and adds it back at a higher revision', async () => {
      // Prepare: one milestone, as in a plan file.
      writeFileSync(milestoneFile(), JSON.stringify({ ...seedMilestone('capacity-report'), id: 'extra-report' }));

      // Act
      const added = await t.cli('calendar', 'add-milestone', EDITED, milestoneFile());
      const removed = await t.cli('calendar', 'remove-milestone', EDITED, 'extra-report');
      const again = await t.cli('calendar', 'add-milestone', EDITED, milestoneFile());
      const history = await t.cli('calendar', 'history', EDITED);

      // Assess
      expect(added.stdout).toContain('extra-report: added at revision 1');
      expect(removed.stdout).toContain('extra-report: revision 1 → removed');
      expect(again.stdout).toContain('extra-report: added at revision 2');
      expect(history.stdout).toMatch(
        /cli:li\.ming {2}新增事项 addMilestone {2}milestone:extra-report\n.*删除事项 removeMilestone/,
      );
      const stored = await t.stores.calendar.loadPlan(EDITED);
      expect(stored?.milestones.find((m) => m.id === 'extra-report')).toMatchObject({ revision: 2 });
    });

    it('refuses a milestone file that is not JSON, or a milestone that is not valid, with located messages', async () => {
      // Prepare
      const broken = join(t.dir, 'broken.json');
      writeFileSync(broken, '{"id": "x",');
      const untitled = join(t.dir, 'untitled.json');
      writeFileSync(
        untitled,
        JSON.stringify({ ...seedMilestone('capacity-report'), id: 'untitled', title: '报送\u0000' }),
      );
      const before = await t.snapshot();

      // Act
      const notJson = await t.cli('calendar', 'add-milestone', EDITED, broken);
      const invalid = await t.cli('calendar', 'add-milestone', EDITED, untitled);

      // Assess
      expect(notJson.code).toBe(1);
      expect(notJson.stderr).toMatch(/^\(file\): is not JSON/);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr.trim()).toBe('milestone.title: must be one line without control characters');
      expect(await t.snapshot()).toEqual(before);
    });
  });

  describe('calendar set-contacts', () => {
    it('renames a head and keeps the address, says that no revision moves, and keeps it in the history', async () => {
      // Act
      const out = await t.cli('calendar', 'set-contacts', EDITED, 'pengjiang', '--head-name', '蓬江区新负责人');
      const history = await t.cli('calendar', 'history', EDITED);

      // Assess
      expect(out.code).toBe(0);
      expect(out.stdout.split('\n').slice(0, 2)).toEqual([
        'pengjiang contacts: head.name: 蓬江区人民政府主要负责人（示例） → 蓬江区新负责人',
        '  no revision moves: contacts are read when each notice is sent, so the schedules stay as they are',
      ]);
      const unit = (await t.stores.calendar.loadPlan(EDITED))?.units.find((u) => u.id === 'pengjiang');
      expect(unit?.head).toEqual({ name: '蓬江区新负责人', email: 'head@pengjiang.jiangmen.example' });
      expect(history.stdout).toMatch(
        /li\.ming {2}修改联系方式 setContacts {2}unit:pengjiang {2}head\.name 蓬江区人民政府主要负责人（示例） → 蓬江区新负责人/,
      );
    });

    it('changes the unit’s and the supervisor’s addresses in one edit', async () => {
      // Act
      const out = await t.cli(
        'calendar',
        'set-contacts',
        EDITED,
        'xinhui',
        '--email',
        'ban@xinhui.jiangmen.example',
        '--supervisor-email',
        'fenguan@xinhui.jiangmen.example',
        '--json',
      );

      // Assess
      const result = JSON.parse(out.stdout);
      expect(result.bumped).toEqual([]);
      expect(result.changes).toEqual([
        { field: 'email', before: 'office@xinhui.jiangmen.example', after: 'ban@xinhui.jiangmen.example' },
        {
          field: 'supervisor.email',
          before: 'supervisor@xinhui.jiangmen.example',
          after: 'fenguan@xinhui.jiangmen.example',
        },
      ]);
      expect(result.reconcile.writes).toBe(0);
    });

    it.each([
      [
        'no contact to change',
        ['pengjiang'],
        'calendar set-contacts: give at least one of --email, --head-email, --head-name, --supervisor-email, --supervisor-name',
        EXIT.usage,
      ],
      [
        'an address that is not one',
        ['pengjiang', '--email', 'office'],
        'email: "office" is not a valid email address',
        EXIT.refused,
      ],
      [
        'a unit the plan does not have',
        ['ghost', '--email', 'office@ghost.example'],
        '没有名为“ghost”的单位。可用的单位：gxj（市工业和信息化局）、fgj（市发展改革局）、sthjj（市生态环境局）、scjgj（市市场监管局）、yjglj（市应急管理局）、pengjiang（蓬江区人民政府）、jianghai（江海区人民政府）、xinhui（新会区人民政府）、taishan（台山市人民政府）、kaiping（开平市人民政府）、heshan（鹤山市人民政府）、enping（恩平市人民政府）、szf（市政府）、gdgxt（省工业和信息化厅）',
        EXIT.refused,
      ],
    ])('refuses %s with its exit code and changes nothing', async (_, args, message, code) => {
      // Prepare
      const before = await t.snapshot();

      // Act
      const out = await t.cli('calendar', 'set-contacts', EDITED, ...args);

      // Assess
      expect(out.code).toBe(code);
      expect(out.stderr.trim()).toBe(message);
      expect(await t.snapshot()).toEqual(before);
    });
  });
});
