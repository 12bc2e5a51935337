import type { Context } from 'hono';
import { LIGHT_ORDER, type LightStatus } from '../../domain/board/lights.js';
import type { BoardFilter } from '../../domain/board/officeBoard.js';
import { unitKindSchema } from '../../domain/plan/schema.js';
import type { OfficeEnv } from './deps.js';

/** The board's filter from the query, each value checked against the plan (anything else is ignored). */
export function filterOf(c: Context<OfficeEnv>): BoardFilter {
  const { plan } = c.var.person;
  const q = (name: string) => c.req.query(name) ?? '';
  const month = (v: string) => (/^\d{4}-(0[1-9]|1[0-2])$/.test(v) ? v : undefined);
  const milestone = plan.milestones.find((m) => m.id === q('milestone'))?.id;
  const kind = unitKindSchema.safeParse(q('kind')).data;
  const light = (LIGHT_ORDER as readonly string[]).includes(q('light')) ? (q('light') as LightStatus) : undefined;
  const from = month(q('from'));
  const to = month(q('to'));
  return {
    ...(milestone ? { milestone } : {}),
    ...(kind ? { kind } : {}),
    ...(light ? { light } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}
