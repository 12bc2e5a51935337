import { decodeNotice } from '../shared/adapters/aws/sqs/messageCodec.js';
import type { BoardRow } from '../shared/domain/board/board.js';
import { noticeWorkSchema } from '../shared/domain/dispatch/noticeWork.js';
import type { StageKind } from '../shared/domain/plan/schema.js';
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

/** A notice the work queue gave up on (its dead-letter queue): never sent, or not known to be. */
export interface DeadNotice {
  readonly milestone: string;
  readonly stage: StageKind;
  /** Wall-clock fire time of the stage occurrence. */
  readonly occurrence: string;
  readonly unit: string;
  readonly role: string;
  readonly receives: number;
}

/** The dead letters of the local work queue, read as notices (a body that is not one is named as such). */
export function deadNoticesOf(messages: readonly { body: string; receiveCount: number }[]): DeadNotice[] {
  return messages.map((m) => {
    const parsed = noticeWorkSchema.safeParse(safeDecode(m.body));
    const key = parsed.success
      ? parsed.data.key
      : { milestone: '?', stage: 'reminder' as const, occurrence: '?', unit: '?', role: 'not a notice' };
    return {
      milestone: key.milestone,
      stage: key.stage,
      occurrence: key.occurrence,
      unit: key.unit,
      role: key.role,
      receives: m.receiveCount,
    };
  });
}

function safeDecode(body: string): unknown {
  try {
    return decodeNotice(body);
  } catch {
    return undefined;
  }
}
