import type { Milestone, Plan, Unit } from '../plan/schema.js';
import type { ReplyKind } from '../plan/stages.js';
import type { NoticeKey } from '../ports.js';
import type { PlannedNotice } from './build.js';
import { chineseDate } from './chineseDate.js';
import { type NoticeDocument, renderHtml, renderText } from './document.js';

/** What a reply says, besides the milestone and the unit. */
export type ReplyFacts =
  | { readonly kind: 'accepted'; readonly submittedOn: string; readonly ref?: string }
  | { readonly kind: 'returned'; readonly submittedOn: string; readonly reason: string; readonly deadline: string }
  | { readonly kind: 'extension-approved'; readonly asked: string; readonly granted: string }
  | { readonly kind: 'extension-rejected'; readonly asked: string; readonly reason: string; readonly deadline: string };

const SUBJECT: Record<ReplyKind, (title: string) => string> = {
  accepted: (t) => `关于“${t}”报送材料的办结通知`,
  returned: (t) => `关于“${t}”报送材料的退回通知`,
  'extension-approved': (t) => `关于“${t}”延期申请的批复`,
  'extension-rejected': (t) => `关于“${t}”延期申请的复函`,
};

/**
 * The answer a unit gets to what it did: its submission closed (办结) or sent back (退回) with what to put
 * right and by when, its 延期申请 granted or refused. Addressed to the unit alone, so it carries its link.
 */
export function buildReply(
  plan: Pick<Plan, 'id' | 'title'>,
  milestone: Milestone,
  unit: Unit,
  facts: ReplyFacts,
  context: { readonly occurrence: string; readonly date: string; readonly signature: string; readonly link?: string },
): PlannedNotice {
  const title = milestone.title;
  const paragraphs = ((): string[] => {
    switch (facts.kind) {
      case 'accepted':
        return [
          `贵单位于${chineseDate(facts.submittedOn)}报送的${milestone.deliverable}${facts.ref ? `（${facts.ref}）` : ''}已收悉。经审核，予以办结。`,
          '特此通知。',
        ];
      case 'returned':
        return [
          `贵单位于${chineseDate(facts.submittedOn)}报送的${milestone.deliverable}经审核，存在以下问题：${facts.reason}`,
          `现予退回。请按要求修改完善后，于${chineseDate(facts.deadline)}前重新报送。`,
        ];
      case 'extension-approved':
        return [
          `贵单位申请将“${title}”的报送期限延至${chineseDate(facts.asked)}。经研究，同意延期至${chineseDate(facts.granted)}。`,
          `请于${chineseDate(facts.granted)}前报送。逾期未报送的，将按计划继续督办。`,
        ];
      case 'extension-rejected':
        return [
          `贵单位申请将“${title}”的报送期限延至${chineseDate(facts.asked)}。经研究，不予同意，理由：${facts.reason}`,
          `请仍于${chineseDate(facts.deadline)}前报送。`,
        ];
    }
  })();
  const doc: NoticeDocument = {
    subject: SUBJECT[facts.kind](title),
    salutation: `${unit.name}：`,
    paragraphs,
    facts: [
      ['工作任务', title],
      ['报送材料', milestone.deliverable],
    ],
    basis: milestone.basis,
    signature: context.signature,
    date: chineseDate(context.date),
    ...(context.link ? { link: context.link } : {}),
  };
  const key: NoticeKey = {
    plan: plan.id,
    milestone: milestone.id,
    stage: facts.kind,
    occurrence: context.occurrence,
    unit: unit.id,
    role: 'unit',
  };
  return {
    key,
    units: [unit.id],
    email: { to: [unit.email], cc: [], subject: doc.subject, text: renderText(doc), html: renderHtml(doc) },
  };
}
