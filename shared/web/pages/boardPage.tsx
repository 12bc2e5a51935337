import { raw } from 'hono/html';
import { LIGHT, LIGHT_ORDER } from '../../domain/board/lights.js';
import type { BoardFilter, OfficeBoard } from '../../domain/board/officeBoard.js';
import type { UnitKind } from '../../domain/plan/schema.js';
import { NOTICE_LABEL } from '../../domain/plan/stages.js';
import type { StoredPlan } from '../../domain/ports.js';
import { Layout } from '../layout.js';
import { wallMinute } from '../report/format.js';

export const KIND_LABEL: Record<UnitKind, string> = {
  department: '市直部门',
  district: '市（区）',
  government: '政府',
  province: '省级单位',
};

export interface BoardPageProps {
  readonly plan: StoredPlan;
  readonly board: OfficeBoard;
  readonly filter: BoardFilter;
  /** The filter as a query string (`?milestone=…`), carried to the exports. */
  readonly query: string;
  readonly who: { readonly name: string; readonly csrf: string };
  readonly roles: string;
  readonly admin: boolean;
  /** The report's SVG timeline and grid, rendered (escaped) by their own modules. */
  readonly timeline: string;
  readonly grid: string;
}

/** 督办看板: who is late and why, per milestone and unit, with the timeline, each notice's text and the 考核. */
export function BoardPage(props: BoardPageProps) {
  const { plan, board, filter } = props;
  const names = new Map(plan.units.map((u) => [u.id, u.name]));
  const titles = new Map(plan.milestones.map((m) => [m.id, m.title]));
  const pct = (n: number | undefined) => (n === undefined ? '—' : `${Math.round(n * 100)}%`);
  return (
    <Layout
      title={`${plan.title} 督办看板`}
      planTitle={plan.title}
      staff
      who={props.who}
      styles={['/assets/office.css']}
      wide
    >
      <h1>督办看板</h1>
      <p class="lead">
        {props.who.name}（{props.roles}）
        {props.admin ? (
          <>
            {' '}
            · <a href={`/plans/${plan.id}/console`}>督办办公室工作台</a>
          </>
        ) : null}
      </p>
      <form method="get" action={`/plans/${plan.id}`} class="card filters" aria-label="筛选">
        <div class="field">
          <label for="milestone">事项</label>
          <select id="milestone" name="milestone">
            <option value="">全部事项</option>
            {plan.milestones.map((m) => (
              <option value={m.id} selected={filter.milestone === m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="kind">单位类型</label>
          <select id="kind" name="kind">
            <option value="">全部类型</option>
            {(Object.keys(KIND_LABEL) as UnitKind[]).map((k) => (
              <option value={k} selected={filter.kind === k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="light">状态</label>
          <select id="light" name="light">
            <option value="">全部状态</option>
            {LIGHT_ORDER.map((s) => (
              <option value={s} selected={filter.light === s}>
                {LIGHT[s].light} {LIGHT[s].word}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="from">考核期自（月）</label>
          <input type="month" id="from" name="from" value={filter.from ?? ''} />
        </div>
        <div class="field">
          <label for="to">至（月）</label>
          <input type="month" id="to" name="to" value={filter.to ?? ''} />
        </div>
        <button type="submit" class="button small">
          筛选
        </button>
        <p class="exports">
          <a class="button small secondary" href={`/plans/${plan.id}/export.xlsx${props.query}`}>
            导出 Excel
          </a>
          <a class="button small secondary" href={`/plans/${plan.id}/export.csv${props.query}`}>
            导出 CSV
          </a>
        </p>
      </form>

      <section class="card" aria-labelledby="progress-h">
        <h2 id="progress-h">进度</h2>
        <ul class="progress-list">
          {board.progress.map((p) => (
            <li>
              <span>{titles.get(p.milestone) ?? p.milestone}</span>
              <span>
                {LIGHT_ORDER.map((s) => `${LIGHT[s].light} ${p.counts[s]}`).join('　')}　共 {p.total}
              </span>
              <span class="bar" aria-hidden="true">
                {LIGHT_ORDER.map((s) => (
                  <span style={`width:${p.total ? (100 * p.counts[s]) / p.total : 0}%;background:${LIGHT[s].color}`} />
                ))}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="grid-h">
        <h2 id="grid-h">报送情况（事项 × 单位）</h2>
        {board.rows.length === 0 ? <p>没有符合条件的事项。</p> : raw(props.grid)}
      </section>

      <section class="card" aria-labelledby="assess-h">
        <h2 id="assess-h">考核（按期内表现排名）</h2>
        <section class="board-wrap" tabindex={0} aria-labelledby="assess-h">
          <table class="assessment">
            <thead>
              <tr>
                <th scope="col">名次</th>
                <th scope="col">单位</th>
                <th scope="col">按时</th>
                <th scope="col">逾期</th>
                <th scope="col">未报送</th>
                <th scope="col">累计逾期工作日</th>
                <th scope="col">收到通知</th>
                <th scope="col">签收率</th>
              </tr>
            </thead>
            <tbody>
              {board.assessment.map((a) => (
                <tr>
                  <td class="n">{a.rank}</td>
                  <th scope="row">{names.get(a.unit) ?? a.unit}</th>
                  <td class="n">{a.onTime}</td>
                  <td class="n">{a.late}</td>
                  <td class="n">{a.missing}</td>
                  <td class="n">{a.workdaysLate}</td>
                  <td class="n">{a.noticesReceived}</td>
                  <td class="n">{pct(a.acknowledgedShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>

      <section class="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">督办时间轴</h2>
        <section class="timeline-wrap" tabindex={0} aria-labelledby="timeline-h">
          {raw(props.timeline)}
        </section>
      </section>

      <section class="card" aria-labelledby="notices-h">
        <h2 id="notices-h">通知记录（{board.notices.length} 封）</h2>
        {board.notices.length === 0 ? <p>尚未发出通知。</p> : null}
        {board.notices.map((n) => (
          <details>
            <summary>
              {wallMinute(n.fireAt)} {NOTICE_LABEL[n.stage]} · {n.subject}
            </summary>
            <p>
              涉及单位：{n.units.map((u) => names.get(u) ?? u).join('、')}
              {n.delivery ? `；投递：${n.delivery}` : ''}
            </p>
            {n.text ? <pre class="notice-text">{n.text}</pre> : <p>（此通知发出时未存正文）</p>}
          </details>
        ))}
      </section>
    </Layout>
  );
}
