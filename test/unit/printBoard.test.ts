import { describe, expect, it } from 'vitest';
import { renderBoard } from '../../cli/output/printTimeline.js';
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
