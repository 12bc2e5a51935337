import type { DeadlineEntry } from '../dispatch/noticeWork.js';
import type { OutgoingEmail } from '../ports.js';

/**
 * The email as it is sent: a notice that carries the deadline's calendar entry gets it attached as
 * `deadline.ics`. The iCalendar builder (`ics` and its validator) loads on the first such notice, not
 * when a sender starts: most invocations' cold start never pays for it.
 */
export async function finishEmail(notice: {
  readonly email: OutgoingEmail;
  readonly calendar?: DeadlineEntry;
}): Promise<OutgoingEmail> {
  const { email, calendar } = notice;
  if (!calendar) return email;
  const { deadlineIcs } = await import('./ics.js');
  const content = deadlineIcs(calendar.plan, calendar.milestone, calendar.unit);
  return {
    ...email,
    attachments: [{ filename: 'deadline.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content }],
  };
}
