/**
 * The ladder's stage names, apart from the zod schema so that the dispatch bundle can name them
 * without pulling in full zod: 提醒, 到期提醒, 催办, 通报, 约谈.
 */
export const stageKinds = ['reminder', 'due', 'overdue', 'circular', 'summons'] as const;

/** An ASCII slug: lower-case letters, digits and single hyphens (ids end up in keys and schedule names). */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
