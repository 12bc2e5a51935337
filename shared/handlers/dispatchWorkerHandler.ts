import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { type NoticeWork, noticeWorkSchema } from '../domain/dispatch/noticeWork.js';
import { isUnfinished, type SendDeps, sendNotices } from '../domain/dispatch/sendNotices.js';

export interface WorkerDeps extends SendDeps {
  /** A message body → the notice it carries (the queue adapter's encoding). */
  readonly decode: (body: string) => unknown;
}

/** What the worker reads of Lambda's SQS event (an `SQSEvent` is one). */
export interface WorkerEvent {
  readonly Records: readonly Pick<SQSRecord, 'messageId' | 'body'>[];
}

/** What the worker needs of Lambda's context: the time left before its timeout. */
export interface WorkerContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The SQS event source's target: parse each message, send the notices (claim → SES → record), and name
 * the messages to deliver again (`ReportBatchItemFailures`): notices that failed, were still in flight
 * elsewhere, or were not started for lack of time. A message that is not a notice of ours is named too:
 * after the queue's receives it lands in the dead-letter queue, where the alarm sees it.
 */
export function makeWorkerHandler(deps: WorkerDeps) {
  return async (event: WorkerEvent, context?: WorkerContext): Promise<SQSBatchResponse> => {
    const failures: string[] = [];
    const notices: { id: string; notice: NoticeWork }[] = [];
    for (const record of event.Records) {
      const parsed = parseBody(deps, record.body);
      if (parsed) notices.push({ id: record.messageId, notice: parsed });
      else {
        deps.log.error('not a notice message', { messageId: record.messageId });
        failures.push(record.messageId);
      }
    }
    const timeLeft = context ? () => context.getRemainingTimeInMillis() : undefined;
    const results = await sendNotices(
      deps,
      notices.map((n) => n.notice),
      timeLeft,
    );
    results.forEach((r, i) => {
      if (isUnfinished(r)) failures.push((notices[i] as { id: string }).id);
    });
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

function parseBody(deps: WorkerDeps, body: string): NoticeWork | undefined {
  try {
    const parsed = noticeWorkSchema.safeParse(deps.decode(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
