import type { PlannedNotice } from '../notices/build.js';
import type { NoticeWork } from './noticeWork.js';

/**
 * A planned notice as the message a worker sends: its key under the firing's stage, the firing's time and the
 * moment after which the ladder has moved past it (`sendBefore`). Shared by a milestone's dispatch and the exit
 * ledger's, so both queue the same message.
 */
export function toNoticeWork(
  n: PlannedNotice,
  firing: { readonly stage: NoticeWork['key']['stage']; readonly fireAt: string },
  sendBefore: number | undefined,
): NoticeWork {
  return {
    key: { ...n.key, stage: firing.stage },
    units: [...n.units],
    fireAt: firing.fireAt,
    ...(sendBefore === undefined ? {} : { sendBefore }),
    email: {
      to: [...n.email.to],
      cc: [...n.email.cc],
      subject: n.email.subject,
      text: n.email.text,
      html: n.email.html,
    },
    ...(n.calendar ? { calendar: n.calendar } : {}),
    ...(n.numbering ? { numbering: n.numbering } : {}),
  };
}
