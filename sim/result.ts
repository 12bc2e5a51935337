import type { BoardRow } from '../shared/domain/board/board.js';
import type { NoticeKind } from '../shared/domain/plan/stages.js';
import type { DeliveryStatus } from '../shared/domain/ports.js';

/** One notice as `simulate --json` prints it (the contract); `text`/`html` only with `--bodies`. */
export interface SimulatedNotice {
  /** The stage's fire time, ISO with `+08:00`. */
  readonly at: string;
  readonly milestone: string;
  /** The ladder stage, or the reply (办结, 退回, an extension's decision) the notice is. */
  readonly stage: NoticeKind;
  /** Units the notice concerns. */
  readonly units: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string;
  /** What the (local) SES returned; empty for a notice not handed to SES (every address suppressed). */
  readonly messageId: string;
  /** What SES's events said became of it: `delivered`, `bounced`, `complained`, `suppressed`, `delayed`. */
  readonly delivery?: DeliveryStatus;
  readonly text?: string;
  readonly html?: string;
}

export interface SimulationResult {
  readonly notices: SimulatedNotice[];
  readonly board: BoardRow[];
}
