import type { OutgoingEmail } from '../ports.js';
import { escapeHtml } from './escape.js';

/**
 * 发文字号 — a notice's number is assigned when a worker claims it (the ledger's register, see
 * dispatch/docNumbers.ts), after dispatch has rendered it: the rendering carries this slot where the
 * number goes, in the subject, the text and the HTML, and the worker fills it in before SES. Private-use
 * characters, so no plan text can be mistaken for it.
 */
export const DOC_NUMBER_SLOT = '\uE000文号\uE001';

/** Which series a notice is numbered in: one counter per plan, issuing unit and year. */
export interface DocNumbering {
  /** The issuing unit (its numbers run on their own). */
  readonly series: string;
  /** The year of the 成文日期 (the notice's date): `〔2021〕`. */
  readonly year: number;
  /** The issuer's template, e.g. `江工信督〔{year}〕{n}号`. */
  readonly template: string;
}

/** `江工信督〔{year}〕{n}号`, 2021, 12 → `江工信督〔2021〕12号`. */
export function formatDocNumber(numbering: Pick<DocNumbering, 'template' | 'year'>, n: number): string {
  return numbering.template.replaceAll('{year}', String(numbering.year)).replace('{n}', String(n));
}

/** The email with its number in place (the HTML form escaped): what SES is given. */
export function fillDocNumber<E extends Pick<OutgoingEmail, 'subject' | 'text' | 'html'>>(
  email: E,
  docNumber: string,
): E {
  return {
    ...email,
    subject: email.subject.replaceAll(DOC_NUMBER_SLOT, docNumber),
    text: email.text.replaceAll(DOC_NUMBER_SLOT, docNumber),
    html: email.html.replaceAll(DOC_NUMBER_SLOT, escapeHtml(docNumber)),
  };
}

/** A subject as the ledger shows it: its number filled in when it has one. */
export const subjectWith = (subject: string, docNumber: string | undefined) =>
  docNumber === undefined ? subject : subject.replaceAll(DOC_NUMBER_SLOT, docNumber);
