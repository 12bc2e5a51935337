import type { StageKind } from '../shared/domain/plan/schema.js';

/** One notice as `simulate --json` prints it (the contract); `text`/`html` only with `--bodies`. */
export interface SimulatedNotice {
  /** The stage's fire time, ISO with `+08:00`. */
  readonly at: string;
  readonly milestone: string;
  readonly stage: StageKind;
  /** Units the notice concerns. */
  readonly units: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  /** What the (local) SES returned. */
  readonly messageId: string;
  readonly text?: string;
  readonly html?: string;
}

/**
 * 红/黄/绿: green delivered on time, yellow delivered late, red not delivered after the deadline.
 * `pending` (not delivered, deadline still ahead) appears only on a live board, never after a whole simulated year.
 */
export type BoardStatus = 'submitted' | 'late' | 'missing' | 'pending';

export interface BoardRow {
  readonly milestone: string;
  readonly unit: string;
  readonly status: BoardStatus;
  /** ISO with the plan's offset. */
  readonly submittedAt?: string;
  /** The last ladder stage that concerned this unit. */
  readonly lastStage?: StageKind;
}

export interface SimulationResult {
  readonly notices: SimulatedNotice[];
  readonly board: BoardRow[];
}
