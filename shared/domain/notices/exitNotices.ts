import type { ChasedItem, ChasedUnit } from '../exits/chase.js';
import { type ExitOccurrence, stepApplies } from '../exits/ladder.js';
import type { LedgerMilestone } from '../exits/status.js';
import { interviewFor } from '../plan/ladder.js';
import type { Unit } from '../plan/schema.js';
import { STAGE_ORDER } from '../plan/stages.js';
import { circularNotices, noticesOf, type PlannedNotice, unitLookup } from './build.js';
import { chineseDate, chineseDateTime } from './chineseDate.js';
import { DOC_NUMBER_SLOT } from './docNumber.js';
import type { Block, NoticeDocument } from './document.js';
import { type Issuer, numberingOf, stageIssuer } from './issuer.js';
import { composeDocument, type StagePlan } from './stageDocuments.js';
import { addressOf, dateWithWeekday, fitTitle, monthDay, numberRoom, phrased, whatComesNext } from './wording.js';

/** Outside the 正文: how the mail was sent (a done enterprise is named no more). */
const SENT_BY_LEDGER = '本邮件由督办系统根据退出台账的计划完成日期自动发送；已完成退出的企业不再列入。';

/** Items a notice lists by name at most; the rest are counted (the unit's ledger page lists them all). */
export const LISTED_ITEMS = 100;

/**
 * 退出台账的督办通知: the notices of one firing of the ledger's ladder, as 公文 of the issuer a milestone's stage
 * has (stageIssuer: the recipient presses 提醒 to 催办, `ladder.issuer` issues 通报 and 约谈), numbered in its
 * series when it numbers. 提醒, 到期提醒 and 催办 go to each unit, 催办 with a 督办函 to its supervisor; 通报 is
 * addressed to every unit of its stage and names the late ones and their enterprises (in parts above SES's
 * recipients, as a milestone's); 约谈 goes to the unit, its head and its supervisor. 主送 is the email's To.
 */
export function buildExitNotices(
  plan: StagePlan,
  milestone: LedgerMilestone,
  occurrence: ExitOccurrence,
  chased: readonly ChasedUnit[],
  /** Each unit's personal link, for the notices addressed to it alone. */
  links: ReadonlyMap<string, string> = new Map(),
  /** The ledger's ladder this firing is one of (what comes next for a unit, and when). */
  ladder: readonly ExitOccurrence[] = [],
): PlannedNotice[] {
  if (chased.length === 0) return [];
  const step = occurrence.triggers[0]?.step ?? 0;
  const issuer = stageIssuer(plan, milestone, step);
  const numbering = numberingOf(issuer, occurrence.wall.slice(0, 10));
  const writer = new ExitWriter(plan, milestone, occurrence, ladder, issuer, numbering && DOC_NUMBER_SLOT);
  const unit = unitLookup(plan);
  const { key, notice } = noticesOf(plan.id, milestone.id, occurrence, numbering);

  switch (occurrence.stage) {
    case 'reminder':
    case 'due':
      return chased.map((c) => {
        const u = unit(c.unit);
        return notice(key(u.id, 'unit'), [u.id], writer.reminder(u, c.items, links.get(u.id)), [u.email]);
      });
    case 'overdue':
      return chased.flatMap((c) => {
        const u = unit(c.unit);
        return [
          notice(key(u.id, 'unit'), [u.id], writer.overdue(u, c.items, links.get(u.id)), [u.email]),
          notice(key(u.id, 'supervisor'), [u.id], writer.escalation(u, c.items), [u.supervisor.email]),
        ];
      });
    case 'circular': {
      const late = new Map(chased.map((c) => [c.unit, c.items]));
      return circularNotices(plan, milestone, step, late, { key, notice }, (addressed, audience) =>
        writer.circular(
          addressed,
          audience.filter((id) => late.has(id)).map((id) => ({ unit: unit(id), items: late.get(id) ?? [] })),
          audience.length,
        ),
      );
    }
    case 'summons':
      return chased.map((c) => {
        const u = unit(c.unit);
        const to = dedupe([u.email, u.head.email, u.supervisor.email]);
        return notice(key(u.id, 'head'), [u.id], writer.summons(u, c.items, links.get(u.id)), to);
      });
  }
}

const dedupe = (xs: readonly string[]) => [...new Set(xs)];

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

/**
 * The words of each stage of the ledger's ladder as a 公文 (as StageWriter's for a milestone): 函 for 提醒 to
 * 催办, a 督办函 to the supervisor, a 通报, a 约谈通知. What comes next is said with its date, never as a threat.
 */
class ExitWriter {
  private readonly fireDate: string;
  private readonly year: string;
  private readonly room: number;

  constructor(
    private readonly plan: StagePlan,
    private readonly milestone: LedgerMilestone,
    private readonly occurrence: ExitOccurrence,
    private readonly ladder: readonly ExitOccurrence[],
    private readonly issuer: Issuer,
    private readonly docNumber: string | undefined,
  ) {
    this.fireDate = chineseDate(occurrence.wall.slice(0, 10));
    this.year = occurrence.wall.slice(0, 4);
    this.room = docNumber === undefined ? 0 : numberRoom(numberingOf(issuer, occurrence.wall.slice(0, 10)));
  }

  reminder(u: Unit, items: readonly ChasedItem[], link?: string): NoticeDocument {
    const you = addressOf(u);
    const due = this.occurrence.stage === 'due';
    const title = due
      ? fitTitle('关于落后产能企业退出任务今日到期的函', '关于企业退出任务今日到期的函', this.room)
      : fitTitle('关于按期完成落后产能企业退出任务的函', '关于按期完成企业退出任务的函', this.room);
    const request = due
      ? `今日（${monthDay(this.occurrence.wall.slice(0, 10))}）为计划完成日。请${you}于今日内完成余下步骤，并在退出台账中逐项登记完成日期和佐证材料。`
      : `请${you}按计划组织实施断电、断水、拆除动力装置、封存主体设备等措施，做好验收、公告和档案保存工作，于${this.dates(items)}前完成，并在退出台账中逐项登记完成日期和佐证材料。`;
    return this.compose('letter', [u.name], title, [
      {
        p: `根据${this.planName()}，${you}退出台账中下列${items.length}家企业的落后产能计划于${this.dates(items)}前完成退出，截至${this.fireDate}尚未完成全部退出步骤：`,
      },
      { list: listed(items) },
      { p: request },
      ...this.personalLink(you, link),
    ]);
  }

  overdue(u: Unit, items: readonly ChasedItem[], link?: string): NoticeDocument {
    const you = addressOf(u);
    return this.compose(
      'letter',
      [u.name],
      fitTitle('关于督促推进落后产能退出企业关停进度的函', '关于督促推进企业退出进度的函', this.room),
      [
        {
          p: `根据${this.planName()}，${you}退出台账中下列${items.length}家企业的落后产能应于${this.dates(items)}前完成退出，截至${this.fireDate}仍未完成，已超过计划时限：`,
        },
        { list: listed(items) },
        {
          p: `请${you}高度重视，立即组织落实，${this.byNext(u, items)}完成退出并在退出台账中登记，并书面说明逾期原因。${this.whatFollows(u, items, you)}`,
        },
        ...this.personalLink(you, link),
      ],
    );
  }

  /** 督办函 to the unit's supervisor (分管领导): about the unit, addressed to the unit. */
  escalation(u: Unit, items: readonly ChasedItem[]): NoticeDocument {
    const you = addressOf(u);
    return this.compose(
      'letter',
      [u.name],
      fitTitle('关于落后产能企业退出逾期未完成的督办函', '关于企业退出逾期未完成的督办函', this.room),
      [
        {
          p: `按照${this.planName()}要求，${you}退出台账中下列${items.length}家企业的落后产能应于${this.dates(items)}前完成退出。截至${this.fireDate}仍未完成，已超过计划时限，并已于同日向${you}催办：`,
        },
        { list: listed(items) },
        {
          p: `请${you}分管负责同志高度重视，督促有关部门${this.byNext(u, items)}完成退出。${this.whatFollows(u, items, you)}`,
        },
      ],
    );
  }

  /** 通报 to every unit of the stage (`addressed`), naming the late ones and their enterprises. */
  circular(
    addressed: readonly Unit[],
    named: readonly { unit: Unit; items: readonly ChasedItem[] }[],
    total: number,
  ): NoticeDocument {
    const count = named.reduce((n, x) => n + x.items.length, 0);
    const first = named[0];
    const next = first ? this.nextFor(first.unit, first.items) : undefined;
    const after = next ? `于${monthDay(next.wall.slice(0, 10), this.year)}前` : '立即';
    const summons = next?.stage === 'summons' ? '届时仍未完成的，将约谈其主要负责人。' : '';
    return this.compose(
      'file',
      addressed.map((u) => u.name),
      fitTitle('关于落后产能企业退出逾期未完成情况的通报', '关于企业退出逾期未完成情况的通报', this.room),
      [
        {
          p: `截至${this.fireDate}，退出台账涉及的${total}个单位中，以下${named.length}个单位共${count}家企业经提醒、催办后仍未完成退出，已超过计划时限：`,
        },
        ...named.flatMap((x, i): Block[] => [
          { p: `（${i + 1}）${x.unit.name}（${x.items.length}家）：` },
          { list: listed(x.items) },
        ]),
        {
          p: `${this.basisClause()}，现予通报。请上述单位高度重视，认真整改，${after}完成退出并在退出台账中登记；对拒不退出的企业，依法依规纳入全国信用信息共享平台，实施联合惩戒和信用约束。${summons}`,
        },
        { p: `各单位要引以为戒，严格按照${this.planName()}确定的时间节点抓好落实。` },
      ],
    );
  }

  /** 约谈通知 to the unit (its office, head and supervisor), with the 回执 link. */
  summons(u: Unit, items: readonly ChasedItem[], receipt?: string): NoticeDocument {
    const you = addressOf(u);
    const interview = interviewFor(this.plan, this.milestone, this.occurrence.wall.slice(0, 10));
    const day = interview.wall.slice(0, 10);
    const head = u.head.name ? `（${u.head.name}）` : '';
    const attendees = phrased(interview.attendees ?? `${'{本级}'}主要负责同志`, u);
    const by = monthDay(interview.explainBy, this.year);
    return this.compose(
      'file',
      [u.name],
      fitTitle(`关于约谈${u.name}主要负责人的通知`, '关于约谈有关单位主要负责人的通知', this.room),
      [
        {
          p: `${you}未按${this.planName()}要求按期完成落后产能退出任务，退出台账中下列${items.length}家企业经提醒、催办、通报，截至${this.fireDate}仍未完成退出：`,
        },
        { list: listed(items) },
        { p: `${this.basisClause()}，决定约谈${you}主要负责人${head}。现将有关事项通知如下：` },
        { head: '一、约谈时间：', p: `${dateWithWeekday(day)}${chineseDateTime(interview.wall).slice(-5)}` },
        { head: '二、约谈地点：', p: interview.place },
        { head: '三、主持人：', p: interview.host },
        { head: '四、参加人员：', p: attendees },
        {
          head: '五、有关要求：',
          p: `请${you}于${by}前将未按期完成退出的原因及整改措施形成书面材料报送${this.issuer.name}，并在退出台账中登记已完成的步骤；于${by}前通过下方链接填报约谈回执（参加人员姓名、职务、联系电话）。`,
        },
        ...(receipt
          ? [{ hint: `约谈回执填报链接（仅供${you}使用，请勿转发）：`, link: receipt, label: '填报约谈回执' }]
          : []),
      ],
    );
  }

  // ── shared parts ──

  private compose(
    format: NoticeDocument['format'],
    mainTo: readonly string[],
    title: string,
    body: readonly Block[],
  ): NoticeDocument {
    return composeDocument(this.issuer, this.docNumber, this.fireDate, {
      format,
      mainTo,
      title,
      body,
      footer: [SENT_BY_LEDGER],
    });
  }

  private planName(): string {
    return `《${this.plan.title}》`;
  }

  /** 6月30日、9月30日: the planned dates the listed items count from. */
  private dates(items: readonly ChasedItem[]): string {
    const dates = [...new Set(items.map((c) => c.item.plannedDate))].sort();
    const shown = dates
      .slice(0, 5)
      .map((d) => monthDay(d, this.year))
      .join('、');
    return dates.length > 5 ? `${shown}等` : shown;
  }

  private basisClause(): string {
    const basis = this.plan.ladder.basis;
    return basis ? `根据${this.planName()}“${basis.replace(/[。；]$/, '')}”的要求` : `根据${this.planName()}督办要求`;
  }

  /** The unit's next firing on the ledger's ladder: a later stage for one of its items' dates, of its kind. */
  private nextFor(u: Unit, items: readonly ChasedItem[]): ExitOccurrence | undefined {
    const dates = new Set(items.map((c) => c.item.plannedDate));
    return this.ladder.find(
      (o) =>
        o.instant > this.occurrence.instant &&
        STAGE_ORDER[o.stage] > STAGE_ORDER[this.occurrence.stage] &&
        o.triggers.some((t) => dates.has(t.date) && stepApplies(this.plan, t.step, u.kind)),
    );
  }

  /** `于10月12日前`, or `立即` when nothing comes after. */
  private byNext(u: Unit, items: readonly ChasedItem[]): string {
    const next = this.nextFor(u, items);
    return next ? `于${monthDay(next.wall.slice(0, 10), this.year)}前` : '立即';
  }

  /** What the next date brings, said as a fact. */
  private whatFollows(u: Unit, items: readonly ChasedItem[], you: string): string {
    return whatComesNext(this.nextFor(u, items)?.stage, you, '完成');
  }

  private personalLink(you: string, link: string | undefined): Block[] {
    if (!link) return [];
    return [
      {
        hint: `请通过${you}专用链接登记退出进度（链接仅供${you}使用，请勿转发）：`,
        link,
        label: '登记退出进度',
      },
    ];
  }
}
