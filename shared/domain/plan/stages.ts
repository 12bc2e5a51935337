/**
 * The ladder's stages in their order — 提醒, 到期提醒, 催办, 通报, 约谈 — and their Chinese names. Kept
 * apart from the zod schema so that the dispatch bundle can name them without pulling in full zod.
 * Everything that orders, validates or shows stages reads them here.
 */
export const stageKinds = ['reminder', 'due', 'overdue', 'circular', 'summons'] as const;
export type StageKind = (typeof stageKinds)[number];

/** Position of each stage in the ladder: reminder 0 … summons 4. */
export const STAGE_ORDER = Object.fromEntries(stageKinds.map((stage, i) => [stage, i])) as Record<StageKind, number>;

/** The stage as a 督办 office names it. */
export const STAGE_LABEL: Record<StageKind, string> = {
  reminder: '提醒',
  due: '到期提醒',
  overdue: '催办',
  circular: '通报',
  summons: '约谈',
};

/**
 * Notices outside the ladder: the answers a unit gets to what it did — 办结 and 退回 of its submission, and
 * the decision on its 延期申请. They go through the same ledger, exactly once, as the ladder's.
 */
export const replyKinds = ['accepted', 'returned', 'extension-approved', 'extension-rejected'] as const;
export type ReplyKind = (typeof replyKinds)[number];

/** Any notice the ledger keeps: a stage of the ladder or a reply. */
export type NoticeKind = StageKind | ReplyKind;

export const NOTICE_LABEL: Record<NoticeKind, string> = {
  ...STAGE_LABEL,
  accepted: '办结通知',
  returned: '退回通知',
  'extension-approved': '延期批复',
  'extension-rejected': '延期不予批准',
};

/** Ladder stages in their order, then the replies (which never share a ladder's instant anyway). */
const NOTICE_ORDER = Object.fromEntries([...stageKinds, ...replyKinds].map((k, i) => [k, i])) as Record<
  NoticeKind,
  number
>;

export const isStage = (kind: NoticeKind): kind is StageKind => (stageKinds as readonly string[]).includes(kind);

/** Sorts notices of the same instant: ladder order, then replies. */
export const byStageOrder = (a: NoticeKind, b: NoticeKind) => NOTICE_ORDER[a] - NOTICE_ORDER[b];

/** An ASCII slug: lower-case letters, digits and single hyphens (ids end up in keys and schedule names). */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
