import { noticeTags } from '../delivery/noticeTags.js';
import { interviewFor, type StageOccurrence, unitIndex } from '../plan/ladder.js';
import type { Milestone, Plan, Unit } from '../plan/schema.js';
import type { NoticeKey, OutgoingEmail, RecipientRole } from '../ports.js';
import { chineseDate, chineseDateTime } from './chineseDate.js';
import { type NoticeDocument, renderHtml, renderText } from './document.js';
import { deadlineIcs } from './ics.js';

/** A notice the dispatcher owes: its ledger identity, the units it concerns, and the email. */
export interface PlannedNotice {
  readonly key: NoticeKey;
  readonly units: readonly string[];
  readonly email: OutgoingEmail;
}

type PlanView = Pick<Plan, 'id' | 'title' | 'timezone' | 'units' | 'ladder' | 'holidays'>;

/**
 * The notices of one stage occurrence for the units still missing, each email tagged with its notice
 * key so that SES's delivery events name the notice they are about (delivery/noticeTags.ts).
 */
export function buildNotices(
  plan: PlanView,
  milestone: Milestone,
  occurrence: StageOccurrence,
  missing: readonly string[],
  /** Each unit's personal link, put in the notices addressed to that unit alone (never in a circular or summons). */
  links: ReadonlyMap<string, string> = new Map(),
): PlannedNotice[] {
  return noticesFor(plan, milestone, occurrence, missing, links).map((n) => ({
    ...n,
    email: { ...n.email, tags: noticeTags(n.key) },
  }));
}

/**
 * The notices of one stage occurrence for the units still missing:
 * reminder/due to the unit; overdue 催办 to the unit plus escalation to its supervisor;
 * one circular naming every late unit; a summons per unit to its head, supervisor copied.
 */
function noticesFor(
  plan: PlanView,
  milestone: Milestone,
  occurrence: StageOccurrence,
  missing: readonly string[],
  links: ReadonlyMap<string, string>,
): PlannedNotice[] {
  if (missing.length === 0) return [];
  const units = unitIndex(plan);
  const unit = (id: string) => {
    const u = units.get(id);
    if (!u) throw new Error(`unit "${id}" is not in plan "${plan.id}"`);
    return u;
  };
  const ctx = new Context(plan, milestone, occurrence, units);
  const linkOf = (id: string) => {
    const link = links.get(id);
    return link === undefined ? {} : { link };
  };
  const key = (unitId: string, role: RecipientRole): NoticeKey => ({
    plan: plan.id,
    milestone: milestone.id,
    stage: occurrence.stage,
    occurrence: occurrence.wall,
    unit: unitId,
    role,
  });

  switch (occurrence.stage) {
    case 'reminder':
    case 'due':
      return missing.map((id) => {
        const u = unit(id);
        const attachments = [
          {
            filename: 'deadline.ics',
            contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            content: deadlineIcs(plan, milestone, id),
          },
        ];
        return {
          key: key(id, 'unit'),
          units: [id],
          email: { ...ctx.email({ ...ctx.reminder(u), ...linkOf(id) }, [u.email], []), attachments },
        };
      });
    case 'overdue':
      return missing.flatMap((id) => {
        const u = unit(id);
        return [
          { key: key(id, 'unit'), units: [id], email: ctx.email({ ...ctx.overdue(u), ...linkOf(id) }, [u.email], []) },
          { key: key(id, 'supervisor'), units: [id], email: ctx.email(ctx.escalation(u), [u.supervisor.email], []) },
        ];
      });
    case 'circular': {
      const late = missing.map(unit);
      const cc = [...new Set([...late.map((u) => u.supervisor.email), plan.ladder.coordinator.email])];
      return [
        {
          key: key('*', 'all'),
          units: [...missing],
          email: ctx.email(ctx.circular(late), dedupe(late.map((u) => u.email)), cc),
        },
      ];
    }
    case 'summons':
      return missing.map((id) => {
        const u = unit(id);
        return {
          key: key(id, 'head'),
          units: [id],
          email: ctx.email(ctx.summons(u), [u.head.email], [u.supervisor.email]),
        };
      });
  }
}

const dedupe = (xs: readonly string[]) => [...new Set(xs)];

/** The facts every notice of one occurrence shares, and the formal Chinese of each stage. */
class Context {
  private readonly deadline: string;
  private readonly fireDate: string;
  private readonly recipient: string;

  constructor(
    private readonly plan: PlanView,
    private readonly milestone: Milestone,
    private readonly occurrence: StageOccurrence,
    private readonly units: Map<string, Unit>,
  ) {
    this.deadline = chineseDate(milestone.deadline);
    this.fireDate = chineseDate(occurrence.wall.slice(0, 10));
    this.recipient = this.name(milestone.recipient);
  }

  email(doc: NoticeDocument, to: string[], cc: string[]): OutgoingEmail {
    return { to, cc, subject: doc.subject, text: renderText(doc), html: renderHtml(doc) };
  }

  reminder(u: Unit): NoticeDocument {
    return this.doc(u.name, {
      subject: this.reminderSubject(),
      paragraphs: [
        `根据《${this.plan.title}》，贵单位须于${this.deadline}前完成“${this.milestone.title}”，向${this.recipient}报送${this.milestone.deliverable}。`,
        this.reminderRequest(),
      ],
    });
  }

  /** A deadline on a day off is announced on the workday before: that day is not "today's deadline". */
  private get dueOnDayOff(): boolean {
    return this.occurrence.stage === 'due' && this.occurrence.wall.slice(0, 10) !== this.milestone.deadline;
  }

  private reminderSubject(): string {
    if (this.occurrence.stage !== 'due') return `【督办提醒】请于${this.deadline}前报送“${this.milestone.deliverable}”`;
    return this.dueOnDayOff
      ? `【到期提醒】“${this.milestone.title}”于${this.deadline}截止报送，今日为截止前最后一个工作日`
      : `【到期提醒】“${this.milestone.title}”今日（${this.deadline}）截止报送`;
  }

  private reminderRequest(): string {
    if (this.occurrence.stage !== 'due')
      return '截至目前尚未收到贵单位报送材料，请抓紧办理，按时报送。附件为截止日期日历，可导入日历提醒。';
    return this.dueOnDayOff
      ? `截止日${this.deadline}为非工作日，今日为截止前最后一个工作日。截至目前尚未收到贵单位报送材料，请于今日下班前报送。`
      : '今日为报送截止日，截至目前尚未收到贵单位报送材料，请于今日下班前报送。';
  }

  overdue(u: Unit): NoticeDocument {
    return this.doc(u.name, {
      subject: `【催办】“${this.milestone.title}”已逾期，请立即报送`,
      paragraphs: [
        `根据《${this.plan.title}》，贵单位应于${this.deadline}前向${this.recipient}报送${this.milestone.deliverable}。截至${this.fireDate}，仍未收到贵单位报送材料，已超过规定时限。`,
        '现予催办，请立即报送，并书面说明逾期原因。逾期仍未报送的，将按计划予以通报。',
      ],
    });
  }

  escalation(u: Unit): NoticeDocument {
    return this.doc(u.supervisor.name ?? `${u.name}分管领导`, {
      subject: `【督办升级】${u.name}逾期未报送“${this.milestone.title}”`,
      paragraphs: [
        `${u.name}应于${this.deadline}前向${this.recipient}报送${this.milestone.deliverable}，截至${this.fireDate}仍未报送，已超过规定时限。`,
        '特此提请您督促落实，请指导该单位立即报送。',
      ],
    });
  }

  circular(late: Unit[]): NoticeDocument {
    return this.doc('各有关单位', {
      subject: `【通报】关于“${this.milestone.title}”逾期未报送情况的通报`,
      paragraphs: [
        `根据《${this.plan.title}》，有关单位应于${this.deadline}前向${this.recipient}报送${this.milestone.deliverable}。截至${this.fireDate}，以下${late.length}个单位经提醒、催办后仍未报送：`,
      ],
      list: late.map((u) => u.name),
      closing: [
        `${this.basisClause()}，现予通报。请上述单位高度重视，立即整改，尽快报送，并书面说明原因。逾期仍未报送的，将约谈其主要负责人。`,
      ],
    });
  }

  summons(u: Unit): NoticeDocument {
    const interview = interviewFor(this.plan, this.milestone, this.occurrence.wall.slice(0, 10));
    return this.doc(u.head.name ?? `${u.name}主要负责人`, {
      subject: `【约谈通知】关于约谈${u.name}主要负责人的通知`,
      paragraphs: [
        `${u.name}未按《${this.plan.title}》要求于${this.deadline}前报送${this.milestone.deliverable}，经提醒、催办、通报后仍未报送。`,
        `${this.basisClause()}，定于${chineseDateTime(interview.wall)}在${interview.place}约谈贵单位主要负责人，由${interview.host}主持。请准时参加，并书面汇报未按期完成的原因及整改措施。`,
      ],
    });
  }

  /** 根据计划“…”的要求: the plan's own words when it has them (ladder.basis). */
  private basisClause(): string {
    const basis = this.plan.ladder.basis;
    return basis ? `根据计划“${basis.replace(/[。；]$/, '')}”的要求` : '根据计划督办要求';
  }

  private doc(
    salutation: string,
    parts: { subject: string; paragraphs: string[]; list?: string[]; closing?: string[] },
  ): NoticeDocument {
    const m = this.milestone;
    const facts: [string, string][] = [
      ['工作任务', m.title],
      ['报送材料', m.deliverable],
      ['截止时间', this.deadline],
      ['报送对象', this.recipient],
    ];
    if (m.cc.length > 0) facts.push(['抄送', m.cc.map((id) => this.name(id)).join('、')]);
    if (m.approver) facts.push(['审定', `报${this.name(m.approver)}同意后报送`]);
    return {
      subject: parts.subject,
      salutation: `${salutation}：`,
      paragraphs: parts.paragraphs,
      list: parts.list,
      closing: parts.closing,
      facts,
      basis: m.basis,
      signature: this.plan.ladder.coordinator.name,
      date: this.fireDate,
    };
  }

  private name(id: string): string {
    return this.units.get(id)?.name ?? id;
  }
}
