import { interviewFor, nextFor, type StageOccurrence } from '../plan/ladder.js';
import type { Milestone, Plan, Unit } from '../plan/schema.js';
import { chineseDate, chineseDateTime } from './chineseDate.js';
import type { Block, NoticeDocument } from './document.js';
import { type Issuer, selfReference } from './issuer.js';
import {
  addressOf,
  CALENDAR_HINT,
  dateWithWeekday,
  fitTitle,
  monthDay,
  numberRoom,
  phrased,
  quoted,
  SENT_AUTOMATICALLY,
  whatComesNext,
} from './wording.js';

export type StagePlan = Pick<Plan, 'id' | 'title' | 'timezone' | 'units' | 'ladder' | 'holidays' | 'issuers'>;

/**
 * The words of each stage's notice, as a 公文 of its 文种: 提醒 and 到期提醒 are 函 asking for the document by
 * its date; 催办 a 函 pressing for it with the next date; the escalation a 督办函 about the unit to its
 * supervisor; 通报 names the late units to every unit of the stage; 约谈 a 通知 with the interview's time,
 * place, 主持, who attends, the date for the written explanation and a 回执. Dates, never bare threats: what
 * comes next is said with its date.
 */
export class StageWriter {
  private readonly deadline: string;
  private readonly fireDate: string;
  private readonly year: string;
  /** What the 文号 leaves of the subject for the title. */
  private readonly room: number;

  constructor(
    private readonly plan: StagePlan,
    private readonly milestone: Milestone,
    private readonly occurrence: StageOccurrence,
    /** The occurrences of the same ladder, for each unit's next date. */
    private readonly occurrences: readonly StageOccurrence[],
    readonly issuer: Issuer,
    /** The slot (or number) the 文号 goes in; absent when the issuer numbers nothing. */
    private readonly docNumber: string | undefined,
  ) {
    this.deadline = dateWithWeekday(milestone.deadline);
    this.fireDate = chineseDate(occurrence.wall.slice(0, 10));
    this.year = occurrence.wall.slice(0, 4);
    this.room =
      docNumber === undefined || issuer.template === undefined
        ? 0
        : numberRoom({ template: issuer.template, year: Number(this.year) });
  }

  /** The title in full when the subject has room for it beside the 文号, else its shorter form. */
  private fit(preferred: string, shorter: string): string {
    return fitTitle(preferred, shorter, this.room);
  }

  reminder(u: Unit, link?: string): NoticeDocument {
    const you = addressOf(u);
    return this.letter(u.name, this.fit(`关于按时报送${quoted(this.milestone)}的函`, '关于按时报送有关材料的函'), {
      body: [
        this.basis(),
        {
          p: `请${you}于${this.deadline}前${this.toRecipient()}报送${this.deliverable(u)}${this.copies()}。截至目前，${this.waiting()}尚未收到${you}报送的材料，请抓紧办理，按时报送。`,
        },
        ...this.personalLink(you, link),
      ],
      footer: [SENT_AUTOMATICALLY, CALENDAR_HINT],
    });
  }

  /** A deadline on a day off is announced on the workday before: that day is not "today's deadline". */
  due(u: Unit, link?: string): NoticeDocument {
    const you = addressOf(u);
    const today = this.occurrence.wall.slice(0, 10);
    const onDayOff = today !== this.milestone.deadline;
    const q = quoted(this.milestone);
    const request = onDayOff
      ? `${q}报送截止日${this.deadline}为非工作日，今日（${monthDay(today)}）为截止前最后一个工作日，截止时间为${monthDay(this.milestone.deadline)}24时。截至今日，${this.waiting()}尚未收到${you}报送的材料，请抓紧${this.toRecipient()}报送${this.deliverable(u)}${this.copies()}。`
      : `今日（${monthDay(today)}）为${q}报送截止日，截止时间为今日24时，今日内报送的均为按时报送。截至今日，${this.waiting()}尚未收到${you}报送的材料，请于今日24时前${this.toRecipient()}报送${this.deliverable(u)}${this.copies()}。`;
    return this.letter(
      u.name,
      onDayOff
        ? this.fit(`关于${q}报送截止的函`, '关于有关材料报送截止的函')
        : this.fit(`关于${q}今日截止报送的函`, '关于有关材料今日截止报送的函'),
      {
        body: [this.basis(), { p: request }, ...this.personalLink(you, link)],
        footer: [SENT_AUTOMATICALLY, CALENDAR_HINT],
      },
    );
  }

  overdue(u: Unit, link?: string): NoticeDocument {
    const you = addressOf(u);
    const again = this.occurrence.round !== undefined;
    const title = again ? `关于再次督促报送${quoted(this.milestone)}的函` : `关于督促报送${quoted(this.milestone)}的函`;
    const round = again ? `这是第${(this.occurrence.round ?? 0) + 1}次催办。` : '';
    // 你市2021年…工作计划 already says whose it is: not 你市报送的你市….
    const deliverable = this.deliverable(u);
    const what = deliverable.startsWith(you) ? deliverable : `${you}报送的${deliverable}`;
    return this.letter(u.name, this.fit(title, again ? '关于再次督促报送有关材料的函' : '关于督促报送有关材料的函'), {
      body: [
        this.basis(),
        {
          p: `截至${this.fireDate}，${this.waiting()}仍未收到${what}，已超过${this.deadline}的报送时限。${round}`,
        },
        {
          p: `请${you}高度重视，${this.byNext(u.id, you)}${this.toRecipient()}报送，并书面说明逾期原因。${this.whatFollows(u.id, you)}`,
        },
        ...this.personalLink(you, link),
      ],
      footer: [SENT_AUTOMATICALLY],
    });
  }

  /** 督办函 to the unit's supervisor (分管领导): about the unit, addressed to the unit. */
  escalation(u: Unit): NoticeDocument {
    const you = addressOf(u);
    return this.letter(
      u.name,
      this.fit(`关于${quoted(this.milestone)}逾期未报送的督办函`, '关于有关材料逾期未报送的督办函'),
      {
        body: [
          {
            p: `按照${this.planName()}要求，${you}应于${this.deadline}前${this.toRecipient()}报送${this.deliverable(u)}。截至${this.fireDate}，${this.waiting()}仍未收到，已超过报送时限，并已于同日向${you}催办。`,
          },
          {
            p: `请${you}分管负责同志高度重视，督促有关部门抓紧办理，${this.byNext(u.id, you)}报送。${this.whatFollows(u.id, you)}`,
          },
        ],
        footer: [SENT_AUTOMATICALLY],
      },
    );
  }

  /** 通报 to every unit of the stage (`addressed`), naming the late ones. */
  circular(addressed: readonly Unit[], late: readonly Unit[], total: number): NoticeDocument {
    const first = late[0]?.id ?? '';
    const next = nextFor(this.occurrences, this.occurrence, first);
    const after = next
      ? `于${monthDay(next.wall.slice(0, 10), this.year)}前报送${this.deliverable()}，并书面说明逾期原因。`
      : `立即报送${this.deliverable()}，并书面说明逾期原因。`;
    const summons = next?.stage === 'summons' ? '届时仍未报送的，将约谈其主要负责人。' : '';
    return this.document(
      addressed.map((u) => u.name),
      this.fit(`关于${quoted(this.milestone)}逾期未报送情况的通报`, '关于有关材料逾期未报送情况的通报'),
      {
        body: [
          this.basis(),
          {
            p: `截至${this.fireDate}，应报送的${total}个单位中，以下${late.length}个单位经提醒、催办后仍未报送，已超过${this.deadline}的报送时限：`,
          },
          { list: late.map((u) => u.name) },
          { p: `${this.basisClause()}，现予通报。请上述单位高度重视，认真整改，${after}${summons}` },
          { p: `各单位要引以为戒，严格按照${this.planName()}确定的时间节点抓好落实。` },
        ],
        footer: [SENT_AUTOMATICALLY],
      },
    );
  }

  /** 约谈通知 to the unit (its office, head and supervisor), with the 回执 link. */
  summons(u: Unit, receipt?: string): NoticeDocument {
    const you = addressOf(u);
    const interview = interviewFor(this.plan, this.milestone, this.occurrence.wall.slice(0, 10));
    const day = interview.wall.slice(0, 10);
    const head = u.head.name ? `（${u.head.name}）` : '';
    const attendees = phrased(interview.attendees ?? `${'{本级}'}主要负责同志`, u);
    const by = monthDay(interview.explainBy, this.year);
    const receiptBlocks: Block[] = receipt
      ? [{ hint: `约谈回执填报链接（仅供${you}使用，请勿转发）：`, link: receipt, label: '填报约谈回执' }]
      : [];
    return this.document([u.name], this.fit(`关于约谈${u.name}主要负责人的通知`, '关于约谈有关单位主要负责人的通知'), {
      body: [
        {
          p: `${you}未按${this.planName()}要求于${this.deadline}前${this.toRecipient()}报送${this.deliverable(u)}，经提醒、催办、通报，截至${this.fireDate}仍未报送。${this.basisClause()}，决定约谈${you}主要负责人${head}。现将有关事项通知如下：`,
        },
        { head: '一、约谈时间：', p: `${dateWithWeekday(day)}${chineseDateTime(interview.wall).slice(-5)}` },
        { head: '二、约谈地点：', p: interview.place },
        { head: '三、主持人：', p: interview.host },
        { head: '四、参加人员：', p: attendees },
        {
          head: '五、有关要求：',
          p: `请${you}于${by}前将未按期报送的原因及整改措施形成书面材料报送${this.issuer.name}，同时报送${this.deliverable(u)}；并于${by}前通过下方链接填报约谈回执（参加人员姓名、职务、联系电话）。`,
        },
        ...receiptBlocks,
      ],
      footer: [SENT_AUTOMATICALLY],
    });
  }

  /** 会同: a partner of the milestone is told what the responsible units must deliver, and by when. */
  partner(p: Unit): NoticeDocument {
    const leads = this.milestone.responsible.map((id) => this.name(id)).join('、');
    return this.letter(
      p.name,
      this.fit(`关于配合做好${quoted(this.milestone)}有关工作的函`, '关于配合做好有关工作的函'),
      {
        body: [
          this.basis(),
          {
            p: `${leads}须于${this.deadline}前${this.toRecipient()}报送${this.deliverable()}。请${addressOf(p)}按照上述要求，积极配合做好相关工作。`,
          },
        ],
        footer: [SENT_AUTOMATICALLY],
      },
    );
  }

  // ── shared parts ──

  private letter(to: string, title: string, parts: Pick<NoticeDocument, 'body' | 'footer'>): NoticeDocument {
    return this.compose('letter', [to], title, parts);
  }

  private document(
    to: readonly string[],
    title: string,
    parts: Pick<NoticeDocument, 'body' | 'footer'>,
  ): NoticeDocument {
    return this.compose('file', to, title, parts);
  }

  private compose(
    format: NoticeDocument['format'],
    mainTo: readonly string[],
    title: string,
    parts: Pick<NoticeDocument, 'body' | 'footer'>,
  ): NoticeDocument {
    return composeDocument(this.issuer, this.docNumber, this.fireDate, { format, mainTo, title, ...parts });
  }

  /** The seed's sentence the obligation comes from, quoted as the plan says it. */
  private basis(): Block {
    return { p: `${this.planName()}明确：“${this.milestone.basis}”` };
  }

  private planName(): string {
    return `《${this.plan.title}》`;
  }

  /** 根据“对未按要求…进行督办”的要求: the plan's own words ordering 通报 and 约谈 (ladder.basis). */
  private basisClause(): string {
    const basis = this.plan.ladder.basis;
    return basis ? `根据${this.planName()}“${basis.replace(/[。；]$/, '')}”的要求` : `根据${this.planName()}督办要求`;
  }

  /** Whether the issuer is the unit the document goes to: it then speaks of itself (我局), not by name. */
  private get issuerReceives(): boolean {
    return this.issuer.unit === this.milestone.recipient;
  }

  /** `向市工业和信息化局` — empty when the issuer is the recipient (请你市于…前报送). */
  private toRecipient(): string {
    return this.issuerReceives ? '' : `向${this.name(this.milestone.recipient)}`;
  }

  /** Who has not received it yet: `我局`, or the recipient by name. */
  private waiting(): string {
    return this.issuerReceives ? selfReference(this.issuer) : this.name(this.milestone.recipient);
  }

  /** The deliverable in the unit's words, with the approval the plan asks for first. */
  private deliverable(u?: Unit): string {
    const m = this.milestone;
    const approval = m.approver ? `（须经${this.name(m.approver)}同意后报送）` : '';
    return `${phrased(m.deliverable, u)}${approval}`;
  }

  /** `，同时抄送市发展改革局、…`: whom the deliverable is copied to, as the plan says. */
  private copies(): string {
    const cc = this.milestone.cc;
    return cc.length > 0 ? `，同时抄送${cc.map((id) => this.name(id)).join('、')}` : '';
  }

  /** `于6月7日前` — the unit's next date on the ladder — or `立即` when nothing comes after. */
  private byNext(unit: string, _you: string): string {
    const next = nextFor(this.occurrences, this.occurrence, unit);
    return next ? `于${monthDay(next.wall.slice(0, 10), this.year)}前` : '立即';
  }

  /** What the next date brings, said as a fact: 通报 or 约谈 (a repeat of 催办 needs no saying). */
  private whatFollows(unit: string, you: string): string {
    return whatComesNext(nextFor(this.occurrences, this.occurrence, unit)?.stage, you, '报送');
  }

  private personalLink(you: string, link: string | undefined): Block[] {
    if (!link) return [];
    return [
      {
        hint: `请通过${you}专用链接签收本函并在线报送材料（链接仅供${you}使用，请勿转发）：`,
        link,
        label: '签收并在线报送',
      },
    ];
  }

  private name(id: string): string {
    return this.plan.units.find((u) => u.id === id)?.name ?? id;
  }
}

/**
 * A 公文 in `issuer`'s name dated `date`: its organs, its 文号 (or slot) when it has one, its 联系人 as 附注, and
 * no 抄送 until the caller names them. Every stage's notice is composed here, a milestone's and the exit ledger's.
 */
export function composeDocument(
  issuer: Issuer,
  docNumber: string | undefined,
  date: string,
  parts: Pick<NoticeDocument, 'format' | 'mainTo' | 'title' | 'body' | 'footer'>,
): NoticeDocument {
  const contact = issuer.contact;
  return {
    format: parts.format,
    organs: issuer.organs,
    ...(docNumber === undefined ? {} : { docNumber }),
    title: parts.title,
    mainTo: parts.mainTo,
    body: parts.body,
    date,
    ...(contact ? { note: `联系人：${contact.name}，电话：${contact.phone}` } : {}),
    cc: [],
    footer: parts.footer,
  };
}
