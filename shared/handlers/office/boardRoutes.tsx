import type { Context, Hono } from 'hono';
import { buildOfficeBoard } from '../../domain/board/officeBoard.js';
import { describeRoles } from '../../domain/people/roles.js';
import { occurrencesOf } from '../../domain/plan/ladder.js';
import { boardCsv, boardXlsx } from '../../web/export/boardWorkbook.js';
import { BoardPage } from '../../web/pages/boardPage.js';
import { renderBoard } from '../../web/report/board.js';
import { renderTimeline } from '../../web/report/svgTimeline.js';
import { filterOf } from './boardFilter.js';
import type { OfficeDeps, OfficeEnv } from './deps.js';

/** 督办看板 at `/plans/<plan>` and its exports, each scoped to what the signed-in person may see. */
export function registerBoardRoutes(app: Hono<OfficeEnv>, deps: OfficeDeps): void {
  const load = async (c: Context<OfficeEnv>) => {
    const { plan, roles } = c.var.person;
    const filter = filterOf(c);
    return { filter, board: await buildOfficeBoard(plan, deps, deps.clock.now(), roles, filter) };
  };

  app.get('/plans/:plan', async (c) => {
    const { plan, roles, session } = c.var.person;
    const { filter, board } = await load(c);
    const shown = new Set(board.rows.map((r) => r.milestone));
    const milestones = plan.milestones.filter((m) => shown.has(m.id));
    // Only the units this person may see, in the marks' tooltips too.
    const units = new Set(board.rows.map((r) => r.unit));
    const schedule = milestones
      .filter((m) => !m.paused)
      .flatMap((m) => occurrencesOf(plan, m))
      .map((o) => ({ ...o, units: o.units.filter((u) => units.has(u)) }))
      .filter((o) => o.units.length > 0);
    const activity = {
      notices: board.notices.map((n) => ({ at: n.fireAt, milestone: n.milestone, stage: n.stage, units: n.units })),
      board: board.rows,
    };
    const view = { ...plan, milestones };
    const query = new URL(c.req.url).search;
    return c.html(
      <BoardPage
        plan={plan}
        board={board}
        filter={filter}
        query={query}
        who={{ name: session.email, csrf: session.csrf }}
        roles={describeRoles(roles)}
        admin={roles.admin}
        timeline={milestones.length > 0 ? renderTimeline({ plan: view, schedule, result: activity }) : ''}
        grid={renderBoard(view, board.rows)}
      />,
    );
  });

  /** An ASCII name for old clients, the Chinese one (RFC 5987) for the rest: header values are Latin-1. */
  const attachment = (plan: string, ext: string) =>
    `attachment; filename="${plan}-board.${ext}"; filename*=UTF-8''${encodeURIComponent(`${plan}-督办看板.${ext}`)}`;
  app.get('/plans/:plan/export.xlsx', async (c) => {
    const { plan } = c.var.person;
    const { board } = await load(c);
    return c.body(await boardXlsx(plan, board), 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': attachment(plan.id, 'xlsx'),
    });
  });
  app.get('/plans/:plan/export.csv', async (c) => {
    const { plan } = c.var.person;
    const { board } = await load(c);
    return c.body(await boardCsv(plan, board), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(plan.id, 'csv'),
    });
  });
}
