import * as z from 'zod/mini';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const CONTROL = /[\u0000-\u001f\u007f]/;
const mailbox = z.email().check(z.maxLength(254));

/** Exactly one email address on one line: nothing that could become another header (`\r\nBcc:`). */
export function isSingleMailbox(address: string): boolean {
  return !CONTROL.test(address) && mailbox.safeParse(address).success;
}
