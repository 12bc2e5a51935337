import type { Milestone, Plan, Unit } from '../plan/schema.js';
import type { ReplyKind } from '../plan/stages.js';
import type { NoticeKey } from '../ports.js';
import { emailOf, type PlannedNotice } from './build.js';
import { chineseDate } from './chineseDate.js';
import { DOC_NUMBER_SLOT } from './docNumber.js';
import type { Block, NoticeDocument } from './document.js';
import { type IssuerPlan, numberingOf, replyIssuer } from './issuer.js';
import { ANSWERED_AUTOMATICALLY, addressOf, fitTitle, numberRoom, phrased, quoted } from './wording.js';

/** What a reply says, besides the milestone and the unit. */
export type ReplyFacts =
  | { readonly kind: 'accepted'; readonly submittedOn: string; readonly ref?: string }
  | { readonly kind: 'returned'; readonly submittedOn: string; readonly reason: string; readonly deadline: string }
  | { readonly kind: 'extension-approved'; readonly asked: string; readonly granted: string }
  | { readonly kind: 'extension-rejected'; readonly asked: string; readonly reason: string; readonly deadline: string };

const TITLE: Record<ReplyKind, (q: string) => [preferred: string, shorter: string]> = {
  accepted: (q) => [`关于${q}审核办结的函`, '关于报送材料审核办结的函'],
  returned: (q) => [`关于退回${q}的函`, '关于退回报送材料的函'],
  'extension-approved': (q) => [`关于同意${q}延期报送的复函`, '关于同意延期报送的复函'],
  'extension-rejected': (q) => [`关于${q}延期报送申请的复函`, '关于延期报送申请的复函'],
};

/**
 * The answer a unit gets to what it did, as a 函 of the reviewing unit (the recipient, or the reviewer
 * named): its submission closed (办结) or sent back (退回) with what to put right and by when, its
 * 延期申请 granted or refused. Addressed to the unit alone, so it carries its link.
 */
export function buildReply(
  plan: Pick<Plan, 'id' | 'title'> & IssuerPlan,
  milestone: Milestone,
  unit: Unit,
  facts: ReplyFacts,
  context: { readonly occurrence: string; readonly date: string; readonly reviewer?: string; readonly link?: string },
): PlannedNotice {
  const you = addressOf(unit);
  const q = quoted(milestone);
  const deliverable = phrased(milestone.deliverable, unit);
  const paragraphs = ((): string[] => {
    switch (facts.kind) {
      case 'accepted':
        return [
          `${you}于${chineseDate(facts.submittedOn)}报送的${deliverable}${facts.ref ? `（${facts.ref}）` : ''}已收悉。经审核，予以办结。`,
          '特此函告。',
        ];
      case 'returned':
        return [
          `${you}于${chineseDate(facts.submittedOn)}报送的${deliverable}经审核，存在以下问题：${facts.reason}`,
          `现予退回。请按要求修改完善后，于${chineseDate(facts.deadline)}前重新报送。`,
        ];
      case 'extension-approved':
        return [
          `${you}关于将${q}报送期限延至${chineseDate(facts.asked)}的申请收悉。经研究，同意延期至${chineseDate(facts.granted)}。`,
          `请于${chineseDate(facts.granted)}前报送；届时仍未报送的，将按计划继续督办。`,
        ];
      case 'extension-rejected':
        return [
          `${you}关于将${q}报送期限延至${chineseDate(facts.asked)}的申请收悉。经研究，不予同意，理由：${facts.reason}`,
          `请仍于${chineseDate(facts.deadline)}前报送。`,
        ];
    }
  })();
  const issuer = replyIssuer(plan, milestone, context.reviewer);
  const numbering = numberingOf(issuer, context.date);
  const link: Block[] = context.link
    ? [
        {
          hint: `请通过${you}专用链接查看办理情况（链接仅供${you}使用，请勿转发）：`,
          link: context.link,
          label: '查看办理情况',
        },
      ]
    : [];
  const doc: NoticeDocument = {
    format: 'letter',
    organs: issuer.organs,
    ...(numbering ? { docNumber: DOC_NUMBER_SLOT } : {}),
    title: fitTitle(...TITLE[facts.kind](q), numberRoom(numbering)),
    mainTo: [unit.name],
    body: [...paragraphs.map((p) => ({ p })), ...link],
    date: chineseDate(context.date),
    ...(issuer.contact ? { note: `联系人：${issuer.contact.name}，电话：${issuer.contact.phone}` } : {}),
    cc: [],
    footer: [ANSWERED_AUTOMATICALLY],
  };
  const key: NoticeKey = {
    plan: plan.id,
    milestone: milestone.id,
    stage: facts.kind,
    occurrence: context.occurrence,
    unit: unit.id,
    role: 'unit',
  };
  return { key, units: [unit.id], email: emailOf(doc, [unit.email], []), ...(numbering ? { numbering } : {}) };
}
