import type { ChasedItem, ChasedUnit } from '../exits/chase.js';
import type { ExitOccurrence } from '../exits/ladder.js';
import type { LedgerMilestone } from '../exits/status.js';
import { interviewFor, unitIndex } from '../plan/ladder.js';
import type { Plan, Unit } from '../plan/schema.js';
import type { NoticeKey, OutgoingEmail, RecipientRole } from '../ports.js';
import type { PlannedNotice } from './build.js';
import { CIRCULAR_UNITS_PER_EMAIL } from './build.js';
import { chineseDate, chineseDateTime } from './chineseDate.js';
import { type NoticeDocument, renderHtml, renderText } from './document.js';

type PlanView = Pick<Plan, 'id' | 'title' | 'timezone' | 'units' | 'ladder' | 'holidays'>;

/** Items a notice lists by name at most; the rest are counted (the unit's ledger page lists them all). */
export const LISTED_ITEMS = 100;

/**
 * 退出台账的督办通知: the notices of one firing of the ledger's ladder, naming the enterprises. Reminders, the due
 * notice and 催办 go to each unit (催办 also to its supervisor); 通报 is one notice naming every unit it concerns
 * and their overdue enterprises (in parts above SES's recipients, as a milestone's); 约谈 goes to each unit's head,
 * its supervisor copied. Rendered with the same document as every notice (document.ts).
 */
export function buildExitNotices(
  plan: PlanView,
  milestone: LedgerMilestone,
  occurrence: ExitOccurrence,
  chased: readonly ChasedUnit[],
  /** Each unit's personal link, for the notices addressed to it alone. */
  links: ReadonlyMap<string, string> = new Map(),
): PlannedNotice[] {
  if (chased.length === 0) return [];
  const units = unitIndex(plan);
  const unit = (id: string) => {
    const u = units.get(id);
    if (!u) throw new Error(`unit "${id}" is not in plan "${plan.id}"`);
    return u;
  };
  const text = new ExitWords(plan, milestone, occurrence);
  const key = (id: string, role: RecipientRole): NoticeKey => ({
    plan: plan.id,
    milestone: milestone.id,
    stage: occurrence.stage,
    occurrence: occurrence.wall,
    unit: id,
    role,
  });
  const email = (doc: NoticeDocument, to: string[], cc: string[]): OutgoingEmail => ({
    to,
    cc,
    subject: doc.subject,
    text: renderText(doc),
    html: renderHtml(doc),
  });
  const withLink = (doc: NoticeDocument, id: string): NoticeDocument => {
    const link = links.get(id);
    return link === undefined ? doc : { ...doc, link };
  };

  switch (occurrence.stage) {
    case 'reminder':
    case 'due':
      return chased.map((c) => {
        const u = unit(c.unit);
        return {
          key: key(u.id, 'unit'),
          units: [u.id],
          email: email(withLink(text.reminder(u, c.items), u.id), [u.email], []),
        };
      });
    case 'overdue':
      return chased.flatMap((c) => {
        const u = unit(c.unit);
        return [
          {
            key: key(u.id, 'unit'),
            units: [u.id],
            email: email(withLink(text.overdue(u, c.items), u.id), [u.email], []),
          },
          {
            key: key(u.id, 'supervisor'),
            units: [u.id],
            email: email(text.escalation(u, c.items), [u.supervisor.email], []),
          },
        ];
      });
    case 'circular': {
      const doc = text.circular(chased.map((c) => ({ unit: unit(c.unit), items: c.items })));
      return circularParts(
        milestone,
        chased.map((c) => c.unit),
      ).map(({ part, ids }) => {
        const addressed = ids.map(unit);
        const cc = [...new Set([...addressed.map((u) => u.supervisor.email), plan.ladder.coordinator.email])];
        return {
          key: key(part, 'all'),
          units: ids,
          email: email(doc, [...new Set(addressed.map((u) => u.email))], cc),
        };
      });
    }
    case 'summons':
      return chased.map((c) => {
        const u = unit(c.unit);
        return {
          key: key(u.id, 'head'),
          units: [u.id],
          email: email(text.summons(u, c.items), [u.head.email], [u.supervisor.email]),
        };
      });
  }
}

/**
 * The parts of a circular, cut by the units' fixed places in the ledger's responsible list (as a milestone's
 * circular is), so a retry after some units finished never re-cuts a part already sent.
 */
function circularParts(milestone: LedgerMilestone, named: readonly string[]): { part: string; ids: string[] }[] {
  if (milestone.responsible.length <= CIRCULAR_UNITS_PER_EMAIL) return [{ part: '*', ids: [...named] }];
  const set = new Set(named);
  const parts: { part: string; ids: string[] }[] = [];
  for (let i = 0; i < milestone.responsible.length; i += CIRCULAR_UNITS_PER_EMAIL) {
    const ids = milestone.responsible.slice(i, i + CIRCULAR_UNITS_PER_EMAIL).filter((id) => set.has(id));
    if (ids.length > 0) parts.push({ part: `*${i / CIRCULAR_UNITS_PER_EMAIL + 1}`, ids });
  }
  return parts;
}

/** One enterprise as a notice names it: who, what, how, by when, and what is still missing. */
export function describeChasedItem({ item, progress }: ChasedItem): string {
  const missing = progress.missing.length > 0 ? `；尚缺：${progress.missing.join('、')}` : '';
  return `${item.name}（${item.creditCode}）：${item.capacity}${item.quantity}${item.measure}，${item.exitMethod}，计划${chineseDate(item.plannedDate)}前完成${missing}`;
}

/** At most LISTED_ITEMS lines, and a count of the rest. */
function listed(items: readonly ChasedItem[]): string[] {
  const lines = items.slice(0, LISTED_ITEMS).map(describeChasedItem);
  if (items.length > LISTED_ITEMS) lines.push(`另有${items.length - LISTED_ITEMS}家企业，详见退出台账`);
  return lines;
}

/** The formal Chinese of each stage of the ledger's ladder. */
class ExitWords {
  private readonly fireDate: string;

  constructor(
    private readonly plan: PlanView,
    private readonly milestone: LedgerMilestone,
    private readonly occurrence: ExitOccurrence,
  ) {
    this.fireDate = chineseDate(occurrence.wall.slice(0, 10));
  }

  reminder(u: Unit, items: readonly ChasedItem[]): NoticeDocument {
    const due = this.occurrence.stage === 'due';
    return this.doc(u.name, items, {
      subject: due ? '关于落后产能企业退出任务今日到期的提醒' : '关于按期完成落后产能企业退出任务的提醒',
      paragraphs: [
        `根据《${this.plan.title}》，贵单位退出台账中下列${items.length}家企业的落后产能计划于${this.dates(items)}前完成退出，截至${this.fireDate}尚未完成全部退出步骤：`,
      ],
      closing: [
        due
          ? '今日为计划完成日。请于今日内完成余下步骤，并在退出台账中逐项登记完成日期和佐证材料。'
          : '请按计划组织实施断电、断水、拆除动力装置、封存主体设备等措施，做好验收、公告和档案保存工作，并在退出台账中逐项登记完成日期和佐证材料。',
      ],
    });
  }

  overdue(u: Unit, items: readonly ChasedItem[]): NoticeDocument {
    return this.doc(u.name, items, {
      subject: '关于落后产能企业退出逾期未完成的催办函',
      paragraphs: [
        `根据《${this.plan.title}》，贵单位退出台账中下列${items.length}家企业的落后产能应于${this.dates(items)}前完成退出，截至${this.fireDate}仍未完成，已超过计划时限：`,
      ],
      closing: [
        '现予催办。请立即组织落实，尽快完成退出并在退出台账中登记，并书面说明逾期原因。逾期仍未完成的，将按计划予以通报。',
      ],
    });
  }

  escalation(u: Unit, items: readonly ChasedItem[]): NoticeDocument {
    return this.doc(u.supervisor.name ?? `${u.name}分管领导`, items, {
      subject: `【督办升级】${u.name}落后产能企业退出逾期未完成`,
      paragraphs: [
        `${u.name}退出台账中下列${items.length}家企业的落后产能应于${this.dates(items)}前完成退出，截至${this.fireDate}仍未完成，已超过计划时限：`,
      ],
      closing: [`请督促${u.name}立即组织落实，尽快完成退出。`],
    });
  }

  circular(named: readonly { unit: Unit; items: readonly ChasedItem[] }[]): NoticeDocument {
    const count = named.reduce((n, x) => n + x.items.length, 0);
    return {
      ...this.doc(
        named.map((x) => x.unit.name).join('、'),
        named.flatMap((x) => x.items),
        {
          subject: '关于落后产能企业退出逾期未完成情况的通报',
          paragraphs: [
            `根据《${this.plan.title}》，各有关单位应按退出台账确定的时间完成落后产能企业退出。截至${this.fireDate}，以下${named.length}个单位共${count}家企业经提醒、催办后仍未完成退出：`,
          ],
          closing: [
            `${this.basisClause()}，现予通报。请上述单位高度重视，立即整改，尽快完成退出并在退出台账中登记；对拒不退出的企业，依法依规纳入信用信息共享平台，实施联合惩戒和信用约束。逾期仍未完成的，将约谈其主要负责人。`,
          ],
        },
      ),
      list: named.flatMap((x) => [`${x.unit.name}（${x.items.length}家）：`, ...listed(x.items).map((l) => `　${l}`)]),
    };
  }

  summons(u: Unit, items: readonly ChasedItem[]): NoticeDocument {
    const interview = interviewFor(this.plan, this.milestone, this.occurrence.wall.slice(0, 10));
    return this.doc(u.head.name ?? `${u.name}主要负责人`, items, {
      subject: `关于约谈${u.name}主要负责人的通知`,
      paragraphs: [
        `${u.name}未按《${this.plan.title}》要求按期完成落后产能退出任务，退出台账中下列${items.length}家企业经提醒、催办、通报后仍未完成退出：`,
      ],
      closing: [
        `${this.basisClause()}，定于${chineseDateTime(interview.wall)}在${interview.place}约谈贵单位主要负责人，由${interview.host}主持。请准时参加，并书面汇报未按期完成的原因及整改措施。`,
      ],
    });
  }

  /** 6月30日、9月30日: the planned dates the listed items count from. */
  private dates(items: readonly ChasedItem[]): string {
    const dates = [...new Set(items.map((c) => c.item.plannedDate))].sort();
    const shown = dates.slice(0, 5).map(chineseDate).join('、');
    return dates.length > 5 ? `${shown}等` : shown;
  }

  private basisClause(): string {
    const basis = this.plan.ladder.basis;
    return basis ? `根据计划“${basis.replace(/[。；]$/, '')}”的要求` : '根据计划督办要求';
  }

  private doc(
    salutation: string,
    items: readonly ChasedItem[],
    parts: { subject: string; paragraphs: string[]; closing: string[] },
  ): NoticeDocument {
    const m = this.milestone;
    return {
      subject: parts.subject,
      salutation: `${salutation}：`,
      paragraphs: parts.paragraphs,
      list: listed(items),
      closing: parts.closing,
      facts: [
        ['工作任务', m.title],
        ['涉及企业', `${items.length}家`],
        ['计划完成', this.dates(items)],
        ['登记方式', '督办系统“退出台账”（通过本单位专用链接进入）'],
      ],
      basis: m.basis,
      signature: this.plan.ladder.coordinator.name,
      date: this.fireDate,
    };
  }
}
