import { ledgerOf } from '../../domain/exits/status.js';
import type { Unit } from '../../domain/plan/schema.js';
import { NOTICE_LABEL, STAGE_LABEL } from '../../domain/plan/stages.js';
import type { UnitMilestoneView } from '../../domain/portal/unitOverview.js';
import { FAILED_DELIVERIES, type NoticeRecord, type StoredPlan, type Submission } from '../../domain/ports.js';
import { ActionButton, Light } from '../components.js';
import { fileSize, zhDateTime, zhShort } from '../format.js';
import { Layout } from '../layout.js';
import { DeadlineFact, ExtensionBox, type ExtensionFormState, ReviewBox } from './unitMilestoneParts.js';

export interface UnitPageProps {
  readonly plan: StoredPlan;
  readonly unit: Unit;
  readonly views: readonly UnitMilestoneView[];
  readonly csrf: string;
  /** A one-line confirmation of what was just done (已签收, …). */
  readonly flash?: string;
  /** A refused 延期申请, shown again with what was typed. */
  readonly extensionForm?: ExtensionFormState;
  /** For a unit that receives milestones: how many submissions and requests wait for its review. */
  readonly toReview?: number;
}

const unitPath = (plan: string, unit: string) => `/plans/${plan}/units/${unit}`;

/** 投递失败: SES reported that this notice did not reach one of this unit's addresses. */
const undeliveredTo = (record: NoticeRecord, unit: string) =>
  record.delivery !== undefined &&
  FAILED_DELIVERIES.includes(record.delivery) &&
  (record.failedRecipients ?? []).some((id) => id.startsWith(`${unit}#`));

/** 单位督办页: the unit's milestones, each with its light, dates ahead, notices (签收) and 报送. */
export function UnitPage({ plan, unit, views, csrf, flash, extensionForm, toReview }: UnitPageProps) {
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const base = unitPath(plan.id, unit.id);
  return (
    <Layout title={`${unit.name}督办事项`} planTitle={plan.title} who={{ name: unit.name, csrf }}>
      {flash ? (
        <p class="flash" role="status">
          {flash}
        </p>
      ) : null}
      <h1>{unit.name}督办事项</h1>
      <p class="lead">以下为《{plan.title}》中由贵单位负责的事项。请按时报送；已收到的督办通知请逐一签收。</p>
      {toReview !== undefined ? (
        <p class="review-link">
          <a class="button secondary" href={`${base}/review`}>
            审核各单位报送材料{toReview > 0 ? `（${toReview}件待办）` : ''}
          </a>
        </p>
      ) : null}
      {ledgerOf(plan)?.responsible.includes(unit.id) ? (
        <p class="review-link">
          <a class="button secondary" href={`${base}/ledger`}>
            落后产能退出台账
          </a>
        </p>
      ) : null}
      {views.length === 0 ? <p>本计划目前没有由贵单位负责的事项。</p> : null}
      {views.map((v) => (
        <section class="card" aria-labelledby={`m-${v.milestone.id}`}>
          <header>
            <h2 id={`m-${v.milestone.id}`}>{v.milestone.title}</h2>
            <Light status={v.status} />
          </header>
          <dl class="facts">
            <dt>报送材料</dt>
            <dd>{v.milestone.deliverable}</dd>
            <dt>截止时间</dt>
            <DeadlineFact view={v} />
            <dt>报送对象</dt>
            <dd>{names.get(v.milestone.recipient) ?? v.milestone.recipient}</dd>
          </dl>
          <details>
            <summary>任务依据</summary>
            <p class="basis">{v.milestone.basis}</p>
          </details>
          <ReviewBox view={v} zone={plan.timezone} />
          {v.submission ? (
            <SubmittedBox submission={v.submission} zone={plan.timezone} />
          ) : (
            <>
              {v.stagesAhead.length > 0 ? (
                <>
                  <h3>后续督办环节</h3>
                  <ul class="stages">
                    {v.stagesAhead.map((s) => (
                      <li>
                        {STAGE_LABEL[s.stage]} {zhShort(s.fireAt)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              <p>
                <a class="button" href={`${base}/milestones/${v.milestone.id}/submit`}>
                  {v.latest?.review === 'returned' ? '重新报送材料' : '报送材料'}
                </a>
              </p>
              <ExtensionBox
                view={v}
                plan={plan}
                action={`${base}/milestones/${v.milestone.id}/extension`}
                csrf={csrf}
                {...(extensionForm ? { form: extensionForm } : {})}
              />
            </>
          )}
          <h3>已收到的督办通知</h3>
          {v.notices.length === 0 ? (
            <p>暂未收到本事项的督办通知。</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">时间</th>
                  <th scope="col">环节</th>
                  <th scope="col">标题</th>
                  <th scope="col">签收</th>
                </tr>
              </thead>
              <tbody>
                {v.notices.map((n) => (
                  <tr>
                    <td class="when">
                      {n.record.sentAt ? zhDateTime(n.record.sentAt, plan.timezone) : zhShort(n.record.fireAt)}
                    </td>
                    <td class="stage">{NOTICE_LABEL[n.record.stage]}</td>
                    <td>
                      {n.record.subject}
                      {undeliveredTo(n.record, unit.id) ? (
                        <span class="undelivered">
                          {' '}
                          投递失败：本通知未能送达贵单位邮箱，请联系督办办公室核实联系方式
                        </span>
                      ) : null}
                    </td>
                    <td>
                      {n.acknowledgement ? (
                        <span class="done">已签收 {zhDateTime(n.acknowledgement.at, plan.timezone)}</span>
                      ) : (
                        <ActionButton
                          action={`${base}/acknowledge`}
                          csrf={csrf}
                          label="签收"
                          fields={{ milestone: v.milestone.id, notice: n.id }}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </Layout>
  );
}

/** What a unit delivered: when, under which 文号, with which files. */
export function SubmittedBox({ submission, zone }: { submission: Submission; zone: string }) {
  return (
    <div class="submitted">
      <p class="done">已报送：{zhDateTime(submission.at, zone)}</p>
      <dl class="facts">
        <dt>文号</dt>
        <dd>{submission.ref ?? '—'}</dd>
        {submission.contact ? (
          <>
            <dt>联系人</dt>
            <dd>
              {submission.contact} {submission.phone ?? ''}
            </dd>
          </>
        ) : null}
        <dt>附件</dt>
        <dd>
          {submission.attachments?.length
            ? submission.attachments.map((a) => (
                <span>
                  {a.name}（{fileSize(a.size)}）
                  <br />
                </span>
              ))
            : '无'}
        </dd>
      </dl>
    </div>
  );
}
