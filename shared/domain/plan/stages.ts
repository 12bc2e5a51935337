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

/** Sorts stages of the same instant in ladder order. */
export const byStageOrder = (a: StageKind, b: StageKind) => STAGE_ORDER[a] - STAGE_ORDER[b];

/** An ASCII slug: lower-case letters, digits and single hyphens (ids end up in keys and schedule names). */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
