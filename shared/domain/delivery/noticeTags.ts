import { replyKinds, SLUG, stageKinds } from '../plan/stages.js';
import type { NoticeKey, RecipientRole } from '../ports.js';

/**
 * The notice key carried as SES message tags, so that an SES event (which names only SES's MessageId)
 * finds its notice in the ledger without a MessageId → key item: no extra write per notice.
 *
 * Tag values allow only `[A-Za-z0-9_.@-]`: the occurrence `2021-05-24T09:00:00` travels as
 * `20210524T090000`, and the circular's unit `*` as `_all` (a slug never holds `_`); a circular sent in parts
 * (`*1`, `*2`…) as `_all1`, `_all2`….
 */
export const NOTICE_TAGS = {
  plan: 'duban-plan',
  milestone: 'duban-milestone',
  stage: 'duban-stage',
  occurrence: 'duban-occurrence',
  unit: 'duban-unit',
  role: 'duban-role',
} as const;

const ALL_UNITS = '_all';
/** `_all`, or `_all<n>` for the n-th part of a circular too long for one email. */
const CIRCULAR_PART = /^_all(\d*)$/;
const ROLES: readonly RecipientRole[] = ['unit', 'supervisor', 'head', 'all', 'partner'];
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/;

export function noticeTags(key: NoticeKey): Record<string, string> {
  const wall = WALL.exec(key.occurrence);
  if (!wall) throw new Error(`occurrence ${key.occurrence} is not YYYY-MM-DDTHH:mm:ss`);
  const [, y, mo, d, h, mi, s] = wall;
  return {
    [NOTICE_TAGS.plan]: key.plan,
    [NOTICE_TAGS.milestone]: key.milestone,
    [NOTICE_TAGS.stage]: key.stage,
    [NOTICE_TAGS.occurrence]: `${y}${mo}${d}T${h}${mi}${s}`,
    [NOTICE_TAGS.unit]: key.unit.startsWith('*') ? ALL_UNITS + key.unit.slice(1) : key.unit,
    [NOTICE_TAGS.role]: key.role,
  };
}

/**
 * The notice an SES event is about, from its `mail.tags` (each tag a list of values, as SES publishes
 * them); undefined when the mail carries no valid notice key (an office message, another sender's mail).
 */
export function noticeKeyFromTags(tags: Readonly<Record<string, readonly string[] | string>>): NoticeKey | undefined {
  const tag = (name: string) => {
    const value = tags[name];
    return typeof value === 'string' ? value : value?.[0];
  };
  const [plan, milestone, stage, compact, unit, role] = Object.values(NOTICE_TAGS).map(tag);
  const occurrence = compact === undefined ? undefined : COMPACT.exec(compact);
  if (!plan || !SLUG.test(plan) || !milestone || !SLUG.test(milestone) || !occurrence) return undefined;
  const kinds: readonly string[] = [...stageKinds, ...replyKinds];
  if (!kinds.includes(stage as string) || !ROLES.includes(role as never)) return undefined;
  const circular = unit === undefined ? undefined : CIRCULAR_PART.exec(unit);
  if (!unit || (!circular && !SLUG.test(unit))) return undefined;
  const [, y, mo, d, h, mi, s] = occurrence;
  return {
    plan,
    milestone,
    stage: stage as NoticeKey['stage'],
    occurrence: `${y}-${mo}-${d}T${h}:${mi}:${s}`,
    unit: circular ? `*${circular[1]}` : unit,
    role: role as RecipientRole,
  };
}
