import { describe, expect, it } from 'vitest';
import { renderBoard } from '../../cli/output/printTimeline.js';
import { displayWidth } from '../../cli/output/table.js';
import type { BoardRow } from '../../shared/domain/board/board.js';
import { LIGHT } from '../../shared/domain/board/lights.js';
import { seedPlan } from '../support/seed.js';

describe('the board in the terminal (status, simulate)', () => {
  it('counts every light under the board, the not-yet-due light included', () => {
    // Prepare: one on time, one late, one missing, two not yet due.
    const board: BoardRow[] = [
      {
        milestone: 'annual-summary',
        unit: 'pengjiang',
        status: 'submitted',
        submittedAt: '2026-12-02T10:00:00+08:00',
        acknowledged: true,
        deadline: '2021-12-15',
        extended: false,
      },
      {
        milestone: 'district-plans',
        unit: 'taishan',
        status: 'late',
        submittedAt: '2021-06-03T09:30:00+08:00',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
      {
        milestone: 'district-plans',
        unit: 'heshan',
        status: 'missing',
        lastStage: 'summons',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
      {
        milestone: 'annual-summary',
        unit: 'enping',
        status: 'pending',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
      {
        milestone: 'annual-summary',
        unit: 'heshan',
        status: 'pending',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
    ];

    // Act
    const text = renderBoard(seedPlan(), board, false);

    // Assess
    const { submitted, late, missing, pending } = LIGHT;
    expect(text.split('\n').at(-1)).toBe(
      `${submitted.light} 1  ${late.light} 1  ${missing.light} 1  ${pending.light} 2`,
    );
    expect(text.split(`●${pending.light} ${pending.word}`).length - 1).toBe(2);
  });
});

describe('a delivery failure on the terminal board', () => {
  it('says 投递失败 beside the unit, whose address failed, and counts the rows', () => {
    // Prepare
    const board: BoardRow[] = [
      {
        milestone: 'district-plans',
        unit: 'heshan',
        status: 'missing',
        lastStage: 'overdue',
        deliveryFailure: { delivery: 'bounced', role: 'supervisor', stage: 'overdue' },
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
      {
        milestone: 'district-plans',
        unit: 'taishan',
        status: 'late',
        submittedAt: '2021-06-03T09:30:00+08:00',
        acknowledged: false,
        deadline: '2021-05-31',
        extended: false,
      },
    ];

    // Act
    const plain = renderBoard(seedPlan(), board, false);
    const coloured = renderBoard(seedPlan(), board, true);

    // Assess: the columns still line up with colour codes in one row only.
    const heshan = plain.split('\n').find((l) => l.includes('鹤山市人民政府'));
    expect(heshan).toContain('鹤山市人民政府 投递失败（分管领导）');
    expect(plain.split('\n').at(-1)).toMatch(/投递失败 1$/);
    const column = (text: string, name: string) => {
      const line = text.split('\n').find((l) => l.includes(name)) ?? '';
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping colour codes to measure
      return line.replace(/\u001b\[[0-9;]*m/g, '').indexOf('●');
    };
    expect(column(coloured, '鹤山市')).toBeGreaterThan(0);
    expect(displayWidthBefore(coloured, '鹤山市')).toBe(displayWidthBefore(coloured, '台山市'));
  });
});

/** Display columns before the status light on the line naming `name` (colour codes take none). */
function displayWidthBefore(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.includes(name)) ?? '';
  return displayWidth(line.slice(0, line.indexOf('●')));
}
