import { decodeNotice } from '../../shared/adapters/aws/sqs/messageCodec.js';
import { LocalWorkQueue } from '../../shared/adapters/local/localWorkQueue.js';
import { type DispatchDeps, type DispatchOutcome, dispatchStage } from '../../shared/domain/dispatch/dispatch.js';
import { noticeWorkSchema } from '../../shared/domain/dispatch/noticeWork.js';
import { type SendDeps, type SendResult, sendNotices } from '../../shared/domain/dispatch/sendNotices.js';
import type { SchedulePayload } from '../../shared/domain/ports.js';

/** What dispatch and the workers need together, without the queue between them (the harness makes one). */
export type FanOutDeps = Omit<DispatchDeps, 'queue'> & SendDeps;

export type FanOutOutcome =
  | Extract<DispatchOutcome, { status: 'skipped' }>
  | (Extract<DispatchOutcome, { status: 'done' }> &
      Record<'sent' | 'alreadySent' | 'inFlight' | 'failed' | 'superseded', number>);

/**
 * One firing through the whole fan-out, in process: dispatch enqueues the stage's notices on an
 * in-process work queue (encoded as for SQS), and one worker sends all of them. The counts are the
 * worker's results.
 */
export async function dispatchAndSend(deps: FanOutDeps, payload: SchedulePayload): Promise<FanOutOutcome> {
  const queue = new LocalWorkQueue({ clock: deps.clock });
  const outcome = await dispatchStage({ ...deps, queue }, payload);
  if (outcome.status !== 'done') return outcome;
  const messages = await queue.receive(Number.MAX_SAFE_INTEGER);
  const results = await sendNotices(
    deps,
    messages.map((m) => noticeWorkSchema.parse(decodeNotice(m.body))),
  );
  const count = (r: SendResult) => results.filter((x) => x === r).length;
  return {
    ...outcome,
    sent: count('sent'),
    alreadySent: count('already-sent'),
    inFlight: count('in-flight'),
    failed: count('failed'),
    superseded: count('superseded'),
  };
}
