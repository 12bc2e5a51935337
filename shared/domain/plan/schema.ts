import { z } from 'zod';
import { exitLedgerSchema } from '../exits/planLedger.js';
import { canonicalTimeZone, isCalendarDate, isKnownTimeZone } from '../time/wallClock.js';
import { DEFAULT_INTERVIEW, DEFAULT_STAGES } from './defaultLadder.js';
import { SLUG, type StageKind, stageKinds } from './stages.js';

/** An ASCII slug: lower-case letters, digits and single hyphens. Ids end up in keys and schedule names. */
export const slugSchema = z
  .string()
  .max(40, 'must be at most 40 characters')
  .regex(SLUG, 'must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "district-plans"');

/** A refused value quoted in a message, cut short: a 100 KB value is not echoed back whole. */
const quote = (input: unknown) =>
  JSON.stringify(typeof input === 'string' && input.length > 60 ? `${input.slice(0, 60)}…` : input);

/** A calendar date `YYYY-MM-DD` that exists. */
export const dateSchema = z
  .string()
  .refine(isCalendarDate, { error: (i) => `${quote(i.input)} is not a date (YYYY-MM-DD)` });

/** Characters that reorder how text is shown (U+202A–U+202E, U+2066–U+2069): a name could display as another. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** Human text shown in notices: one line, no control characters, bounded. */
const lineSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'must be one line without control characters')
    .refine((s) => !BIDI_CONTROLS.test(s), 'must not contain bidirectional control characters');

/** Longer text (the seed's sentence a milestone comes from): no control characters but newlines. */
const textSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  .refine((s) => !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(s), 'must not contain control characters')
  .refine((s) => !BIDI_CONTROLS.test(s), 'must not contain bidirectional control characters');

/**
 * One mailbox, ASCII, on one line. Anything with CR/LF would let a plan inject headers (`\r\nBcc:`).
 */
export const emailSchema = z
  .string()
  .max(254, 'must be at most 254 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must be a single-line email address')
  .pipe(z.email({ error: (i) => `${quote(i.input)} is not a valid email address` }));

export const unitKindSchema = z.enum(['department', 'district', 'government', 'province']);
export type UnitKind = z.infer<typeof unitKindSchema>;

export const contactSchema = z.strictObject({ name: lineSchema(80).optional(), email: emailSchema });
export type Contact = z.infer<typeof contactSchema>;

/** 责任单位 — a unit that delivers, receives or is copied. */
export const unitSchema = z.strictObject({
  id: slugSchema,
  name: lineSchema(80),
  kind: unitKindSchema,
  email: emailSchema,
  /** 负责人 — receives the summons. */
  head: contactSchema,
  /** 分管领导 — receives escalations. */
  supervisor: contactSchema,
  /**
   * 称谓 — how a notice to this unit calls it (`你市`, `你区`, `你局`): `{本级}` in a deliverable reads so in
   * the unit's own notices. @default 你单位
   */
  addressAs: lineSchema(10).optional(),
});
export type Unit = z.infer<typeof unitSchema>;

export const phaseSchema = z.enum(['全面部署', '执行监管', '总结']);

/** 约谈安排 — where and when an interview is held, counted from the day the summons goes out. */
export const interviewSchema = z.strictObject({
  /** Workdays after the summons. */
  afterWorkdays: z.number().int().min(1).max(30),
  hour: z.number().int().min(0).max(23),
  place: lineSchema(120),
  /** Who holds (主持) the interview: a person or a post (an organisation does not 主持). */
  host: lineSchema(120),
  /** 参加人员 — who the summoned unit sends; `{本级}` reads as the unit's 称谓. @default {本级}主要负责同志 */
  attendees: lineSchema(120).optional(),
  /**
   * The written explanation (书面说明) and the 回执 are due this many workdays before the interview, by
   * the end of that day. @default 1
   */
  explainWorkdaysBefore: z.number().int().min(1).max(10).optional(),
});
export type Interview = z.infer<typeof interviewSchema>;

// ── 公文 (GB/T 9704-2012): who issues a notice, its 发文字号 and 联系人 (issue 15) ──

/** 联系人 and phone, printed under a notice (附注) and in a summons. */
export const documentContactSchema = z.strictObject({
  name: lineSchema(40),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, 'must be a phone number such as "0750-3500000"'),
});

/** 发文字号 template: `{n}` (the number) and `{year}`, e.g. `江工信督〔{year}〕{n}号`. */
export const docNumberTemplateSchema = lineSchema(30)
  .refine((t) => t.split('{n}').length === 2, 'must contain "{n}" once')
  .refine((t) => !/\{(?!n\}|year\})/.test(t), 'may only contain the placeholders "{year}" and "{n}"');

/** What the plan says of one issuing unit (发文机关). */
export const issuerSettingsSchema = z.strictObject({
  /** 发文机关标志 — the organ's full name in the red header, e.g. 江门市工业和信息化局. @default the unit's name */
  organ: lineSchema(40).optional(),
  /** Without a template the unit's notices carry no 文号. */
  docNumber: docNumberTemplateSchema.optional(),
  contact: documentContactSchema.optional(),
});
export type IssuerSettings = z.infer<typeof issuerSettingsSchema>;

/** Who issues a stage's notices: the milestone's recipient, or a unit (with 联合发文 units). */
export const issuerRefSchema = z.union([
  z.literal('recipient'),
  z.strictObject({ unit: slugSchema, joint: z.array(slugSchema).max(9).optional() }),
]);
export type IssuerRef = z.infer<typeof issuerRefSchema>;

/** 时间节点 — one dated obligation of the plan. */
export const milestoneSchema = z.strictObject({
  id: slugSchema,
  title: lineSchema(120),
  /** 简称 of the deliverable, as a notice's title quotes it in 《》 (titles stay within 40 characters). */
  shortTitle: lineSchema(20).optional(),
  phase: phaseSchema,
  /** The end of this day in the plan's zone. */
  deadline: dateSchema,
  /** Units that must deliver. */
  responsible: z.array(slugSchema).min(1, 'must name at least one unit'),
  /** The unit that receives (报送 / 函告 / 报). */
  recipient: slugSchema,
  /** Units copied (抄送). */
  cc: z.array(slugSchema).default([]),
  /** Units that work with the responsible ones (会同) without delivering themselves. */
  partners: z.array(slugSchema).optional(),
  /** A unit whose approval the delivery needs first (e.g. 报市政府同意后上报). */
  approver: slugSchema.optional(),
  /** What is delivered; `{本级}` reads as the unit's 称谓 (你市) in its own notices and 本级 in shared ones. */
  deliverable: lineSchema(200),
  /** The seed's sentence this milestone comes from. */
  basis: textSchema,
  /** A paused milestone keeps its data but sends nothing. */
  paused: z.boolean().optional(),
  /** Overrides the ladder's interview arrangement for this milestone. */
  interview: interviewSchema.optional(),
  /**
   * 发文机关 of this milestone's 提醒, 到期提醒 and 催办 (and its partners' 函) instead of its recipient: for a
   * recipient in whose name the office does not write (报省工业和信息化厅). A stage's own `issuer` still wins.
   */
  issuer: issuerRefSchema.optional(),
  /** 退出台账: kept as enterprise exit items per unit, chased by each item's planned date (exits/planLedger.ts). */
  ledger: exitLedgerSchema.optional(),
});
export type Milestone = z.infer<typeof milestoneSchema>;

/** 督办梯度 stage: 提醒, 到期提醒, 催办, 通报, 约谈. */
export type { StageKind };
export { stageKinds };
export const stageKindSchema = z.enum(stageKinds);

/** A stage sent again and again: `times` more rounds, every `everyWorkdays` workdays. `times: 0` stops it. */
export const repeatSchema = z.strictObject({
  everyWorkdays: z.number().int().min(1).max(30),
  times: z.number().int().min(0).max(20),
});

export const ladderStageSchema = z.strictObject({
  stage: stageKindSchema,
  /** Workdays from the deadline: negative before, 0 the deadline day, positive after. */
  offset: z.number().int().min(-30).max(60),
  /** Hour of the day (plan zone) the stage is sent. */
  hour: z.number().int().min(0).max(23),
  /** Unit kinds the stage addresses. */
  appliesTo: z.array(unitKindSchema).min(1, 'must name at least one unit kind'),
  // ── 公文 and pressing (issue 15) ──
  /** 发文机关 of this stage's notices. @default the milestone's recipient (提醒, 催办); `ladder.issuer` (通报, 约谈) */
  issuer: issuerRefSchema.optional(),
  /** 抄送 of a circular (units of the plan), besides whom it is addressed to (SES: 50 recipients a message). */
  cc: z.array(slugSchema).max(20, 'must copy at most 20 units').optional(),
  /**
   * The stage again every `everyWorkdays` workdays, `times` more times, for the units no later stage
   * addresses (so nobody goes silent after one 催办). @default for overdue: every 3 workdays, 3 times
   */
  repeat: repeatSchema.optional(),
});
export type LadderStage = z.infer<typeof ladderStageSchema>;

export const ladderSchema = z.strictObject({
  /** 协调小组 — copied on every circular. */
  coordinator: contactSchema.extend({ name: lineSchema(80) }),
  /** The plan's own words ordering 通报 and 约谈, quoted in circulars and summons. */
  basis: textSchema.optional(),
  /** 发文机关 of circulars and summons (a stage may name its own). @default the coordinating group, unnumbered */
  issuer: issuerRefSchema.optional(),
  stages: z.array(ladderStageSchema).min(1, 'must have at least one stage').default(DEFAULT_STAGES),
  interview: interviewSchema.default(DEFAULT_INTERVIEW),
  /** 退回: the short deadline a returned unit gets, in workdays from the day of the return. */
  returnWorkdays: z.number().int().min(1).max(30).default(3),
  /**
   * 延期申请: how long a unit may still ask for its own date — until the end of its deadline day (`deadline`),
   * or that many workdays after it.
   */
  extension: z
    .strictObject({ until: z.union([z.literal('deadline'), z.number().int().min(1).max(60)]).default('deadline') })
    .default({ until: 'deadline' }),
});
export type Ladder = z.infer<typeof ladderSchema>;

/** 复核: which submission decides whether a unit delivered on time. */
export const reviewPolicySchema = z.strictObject({
  /** `accepted`: the one finally accepted (a return can turn green yellow); `first`: the first one made. */
  timelinessBy: z.enum(['accepted', 'first']).default('accepted'),
});

/** One person of the 督办 office (a name and an address). */
export const adminSchema = contactSchema.extend({ name: lineSchema(80) });
export type Admin = z.infer<typeof adminSchema>;

export const holidaysSchema = z.strictObject({
  off: z.array(dateSchema).default([]),
  workdays: z.array(dateSchema).default([]),
  years: z.array(z.number().int().min(2000).max(2100)).default([]),
});

/**
 * Units a plan may list: a national campaign reaches ~2,851 county-level units and their supervisors;
 * 50,000 leaves room for a provincial enterprise ledger (the scale section of the README, measured).
 */
export const MAX_UNITS = 50_000;

export const planSchema = z.strictObject({
  id: slugSchema,
  title: lineSchema(200),
  timezone: z
    .string()
    .refine(isKnownTimeZone, { error: (i) => `${quote(i.input)} is not a known time zone`, abort: true })
    .refine((zone) => canonicalTimeZone(zone) === zone, {
      error: (i) => `${quote(i.input)} is not the zone's canonical name: write "${canonicalTimeZone(String(i.input))}"`,
    }),
  units: z.array(unitSchema).min(1, 'must list at least one unit').max(MAX_UNITS),
  milestones: z.array(milestoneSchema).min(1, 'must list at least one milestone').max(500),
  ladder: ladderSchema,
  review: reviewPolicySchema.default({ timelinessBy: 'accepted' }),
  holidays: holidaysSchema.optional(),
  /** 发文机关 by unit id: their header name, 文号 template and 联系人 (issue 15). */
  issuers: z.record(slugSchema, issuerSettingsSchema).optional(),
  /**
   * 督办办公室 — the people who run the plan: they sign in to the office console with these addresses and may
   * change the calendar. Optional, so plans stored before it read back unchanged.
   */
  admins: z.array(adminSchema).max(50, 'must list at most 50 people').optional(),
});
export type Plan = z.infer<typeof planSchema>;
