import type { StageKind } from './stages.js';

const everyone = ['department', 'district', 'government', 'province'] as const;

/**
 * The ladder a plan gets when it names no stages: two reminders (5 and 1 workdays before), a
 * deadline-day reminder, 催办 with escalation the first workday after, 通报 after 5 workdays and
 * 约谈 after 10. Reminders go out at 09:00; circulars and summons at 10:00, after the morning's mail.
 */
export const DEFAULT_STAGES = [
  { stage: 'reminder', offset: -5, hour: 9, appliesTo: [...everyone] },
  { stage: 'reminder', offset: -1, hour: 9, appliesTo: [...everyone] },
  { stage: 'due', offset: 0, hour: 9, appliesTo: [...everyone] },
  { stage: 'overdue', offset: 1, hour: 9, appliesTo: [...everyone] },
  { stage: 'circular', offset: 5, hour: 10, appliesTo: [...everyone] },
  { stage: 'summons', offset: 10, hour: 10, appliesTo: [...everyone] },
] satisfies { stage: StageKind; offset: number; hour: number; appliesTo: string[] }[];

export const DEFAULT_INTERVIEW = {
  afterWorkdays: 3,
  hour: 15,
  place: '协调小组办公室',
  host: '协调小组',
};

/**
 * 催办 comes again, by default, for the units no 通报 or 约谈 addresses (a department, in the seed plan):
 * every 3 workdays, 3 more times, so no unit goes silent after one 催办.
 */
export const DEFAULT_OVERDUE_REPEAT = { everyWorkdays: 3, times: 3 } as const;

/** A stage's repeat: its own, the default for 催办, or none (`times: 0` says stop). */
export function effectiveRepeat(stage: {
  readonly stage: StageKind;
  readonly repeat?: { readonly everyWorkdays: number; readonly times: number } | undefined;
}): { readonly everyWorkdays: number; readonly times: number } | undefined {
  const repeat = stage.repeat ?? (stage.stage === 'overdue' ? DEFAULT_OVERDUE_REPEAT : undefined);
  return repeat && repeat.times > 0 ? repeat : undefined;
}
