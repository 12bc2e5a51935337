import type { DeadlineEntry } from '../dispatch/noticeWork.js';
import { occurrencesOf, type StageOccurrence, unitIndex } from '../plan/ladder.js';
import type { Milestone, Unit } from '../plan/schema.js';
import type { NoticeKey, OutgoingEmail, RecipientRole } from '../ports.js';
import { DOC_NUMBER_SLOT, type DocNumbering } from './docNumber.js';
import { type NoticeDocument, renderText, subjectOf } from './document.js';
import { renderHtml } from './documentHtml.js';
import { numberingOf, stageIssuer } from './issuer.js';
import { type StagePlan, StageWriter } from './stageDocuments.js';
import { phrased } from './wording.js';

/**
 * A notice the dispatcher owes: its ledger identity, the units it concerns, and the email. A reminder's
 * `.ics` of the deadline is described by `calendar` and built when it is sent (`finishEmail`); a numbered
 * notice's 文号 is taken when it is claimed, and goes where the email carries the slot (`numbering`).
 */
export interface PlannedNotice {
  readonly key: NoticeKey;
  readonly units: readonly string[];
  readonly email: OutgoingEmail;
  readonly calendar?: DeadlineEntry;
  readonly numbering?: DocNumbering;
}

/**
 * The notices of one stage occurrence for the units still missing:
 * 提醒 / 到期提醒 to the unit; 催办 to the unit plus a 督办函 to its supervisor; one 通报 to every unit of the
 * stage naming the late ones, copied as the plan says; a 约谈通知 per unit to its office, head and
 * supervisor. 主送 and 抄送 in each are exactly the email's To and Cc, by unit name.
 */
export function buildNotices(
  plan: StagePlan,
  milestone: Milestone,
  occurrence: StageOccurrence,
  missing: readonly string[],
  /**
   * Each unit's link: its personal link in the notices addressed to that unit alone (提醒, 到期提醒, 催办), its
   * 回执 link in its 约谈通知; never in a circular or an escalation.
   */
  links: ReadonlyMap<string, string> = new Map(),
  /** The occurrences of the same ladder (each unit's next date). @default computed from the milestone */
  occurrences: readonly StageOccurrence[] = occurrencesOf(plan, milestone).filter((o) => o.unit === occurrence.unit),
): PlannedNotice[] {
  if (missing.length === 0) return [];
  const { writer, numbering } = writerFor(plan, milestone, occurrence, occurrences);
  const unit = unitLookup(plan);
  const { key, notice } = noticesOf(plan.id, milestone.id, occurrence, numbering);

  switch (occurrence.stage) {
    case 'reminder':
    case 'due':
      return missing.map((id) => {
        const u = unit(id);
        const doc = occurrence.stage === 'due' ? writer.due(u, links.get(id)) : writer.reminder(u, links.get(id));
        return { ...notice(key(id, 'unit'), [id], doc, [u.email]), calendar: deadlineEntry(plan, milestone, id) };
      });
    case 'overdue':
      return missing.flatMap((id) => {
        const u = unit(id);
        return [
          notice(key(id, 'unit'), [id], writer.overdue(u, links.get(id)), [u.email]),
          notice(key(id, 'supervisor'), [id], writer.escalation(u), [u.supervisor.email]),
        ];
      });
    case 'circular': {
      const late = new Set(missing);
      return circularNotices(plan, milestone, occurrence.step, late, { key, notice }, (addressed, audience) =>
        writer.circular(addressed, audience.filter((id) => late.has(id)).map(unit), audience.length),
      );
    }
    case 'summons':
      return missing.map((id) => {
        const u = unit(id);
        // The summons goes to the unit: its office, its head (who is summoned) and its supervisor, all its own.
        const to = dedupe([u.email, u.head.email, u.supervisor.email]);
        return notice(key(id, 'head'), [id], writer.summons(u, links.get(id)), to);
      });
  }
}

/**
 * 会同: the milestone's partners are told of it once, with its first reminder, each by a notice of its
 * own (no link: the portal is for the units that deliver). Only on the milestone's own ladder.
 */
export function partnerNotices(
  plan: StagePlan,
  milestone: Milestone,
  occurrence: StageOccurrence,
  occurrences: readonly StageOccurrence[],
): PlannedNotice[] {
  const firstReminder = plan.ladder.stages.findIndex((s) => s.stage === 'reminder');
  if (occurrence.unit !== undefined || occurrence.step !== firstReminder || occurrence.round !== undefined) return [];
  const { writer, numbering } = writerFor(plan, milestone, occurrence, occurrences);
  const unit = unitLookup(plan);
  return (milestone.partners ?? []).map((id) => {
    const p = unit(id);
    return {
      key: {
        plan: plan.id,
        milestone: milestone.id,
        stage: occurrence.stage,
        occurrence: occurrence.wall,
        unit: id,
        role: 'partner',
      },
      units: [id],
      email: emailOf(writer.partner(p), [p.email], []),
      ...(numbering ? { numbering } : {}),
    };
  });
}

/**
 * The parts of a 通报: each addressed to a fixed slice of the stage's units (circularParts), copied to the units
 * its stage names that it is not addressed to, naming the late units (`write`). 主送 and 抄送 are its To and Cc.
 */
export function circularNotices(
  plan: Pick<StagePlan, 'id' | 'units' | 'ladder'>,
  milestone: Pick<Milestone, 'responsible'>,
  step: number,
  late: { has(unit: string): boolean },
  { key, notice }: ReturnType<typeof noticesOf>,
  write: (addressed: readonly Unit[], audience: readonly string[]) => NoticeDocument,
): PlannedNotice[] {
  const unit = unitLookup(plan);
  const audience = circularAudience(plan, milestone, step);
  const cc = (plan.ladder.stages[step]?.cc ?? []).map(unit);
  return circularParts(audience).map(({ part, ids }) => {
    const addressed = ids.map(unit);
    const to = dedupe(addressed.map((u) => u.email));
    const copied = cc.filter((u) => !to.includes(u.email));
    const doc = { ...write(addressed, audience), cc: copied.map((u) => u.name) };
    return notice(
      key(part, 'all'),
      ids.filter((id) => late.has(id)),
      doc,
      to,
      dedupe(copied.map((u) => u.email)),
    );
  });
}

/**
 * How one firing's notices are made: each keyed in the notice ledger by stage, time, unit and role, its email
 * rendered from its document, numbered in the issuer's series when it numbers. A milestone's and the exit ledger's.
 */
export function noticesOf(
  plan: string,
  milestone: string,
  occurrence: Pick<StageOccurrence, 'stage' | 'wall'>,
  numbering: DocNumbering | undefined,
) {
  const key = (unit: string, role: RecipientRole): NoticeKey => ({
    plan,
    milestone,
    stage: occurrence.stage,
    occurrence: occurrence.wall,
    unit,
    role,
  });
  const notice = (
    k: NoticeKey,
    units: readonly string[],
    doc: NoticeDocument,
    to: readonly string[],
    cc: readonly string[] = [],
  ): PlannedNotice => ({ key: k, units, email: emailOf(doc, to, cc), ...(numbering ? { numbering } : {}) });
  return { key, notice };
}

function writerFor(
  plan: StagePlan,
  milestone: Milestone,
  occurrence: StageOccurrence,
  occurrences: readonly StageOccurrence[],
) {
  const issuer = stageIssuer(plan, milestone, occurrence.step);
  const numbering = numberingOf(issuer, occurrence.wall.slice(0, 10));
  const writer = new StageWriter(plan, milestone, occurrence, occurrences, issuer, numbering && DOC_NUMBER_SLOT);
  return { writer, numbering };
}

export function unitLookup(plan: Pick<StagePlan, 'id' | 'units'>): (id: string) => Unit {
  const units = unitIndex(plan);
  return (id) => {
    const u = units.get(id);
    if (!u) throw new Error(`unit "${id}" is not in plan "${plan.id}"`);
    return u;
  };
}

/** The email of a document: the subject is its title (and number), the bodies are rendered from it. */
export function emailOf(doc: NoticeDocument, to: readonly string[], cc: readonly string[]): OutgoingEmail {
  return { to: [...to], cc: [...cc], subject: subjectOf(doc), text: renderText(doc), html: renderHtml(doc) };
}

const dedupe = (xs: readonly string[]) => [...new Set(xs)];

/**
 * Whom a circular is addressed to: every responsible unit of the kinds its stage applies to (the late ones
 * are named in it), in the milestone's order.
 */
function circularAudience(
  plan: Pick<StagePlan, 'units' | 'ladder'>,
  milestone: Pick<Milestone, 'responsible'>,
  step: number,
): string[] {
  const kinds = plan.ladder.stages[step]?.appliesTo ?? [];
  const kindOf = new Map(plan.units.map((u) => [u.id, u.kind]));
  return milestone.responsible.filter((id) => kinds.includes(kindOf.get(id) ?? 'department'));
}

/**
 * SES takes at most 50 recipients a message (To, Cc and Bcc together). A circular goes to each unit of its
 * stage and the units it copies, so one email addresses at most this many units; every part names every
 * late unit.
 */
export const CIRCULAR_UNITS_PER_EMAIL = 24;

/**
 * The parts of a circular: one (`*`) while its stage addresses at most CIRCULAR_UNITS_PER_EMAIL units;
 * beyond that `*1`, `*2`…, each a fixed slice of them. Fixed by position, not by who is late: a retry
 * after some units delivered finds each unit in the same part, so a part already sent is never re-cut.
 */
function circularParts(audience: readonly string[]): { part: string; ids: string[] }[] {
  if (audience.length <= CIRCULAR_UNITS_PER_EMAIL) return [{ part: '*', ids: [...audience] }];
  const parts: { part: string; ids: string[] }[] = [];
  for (let i = 0; i < audience.length; i += CIRCULAR_UNITS_PER_EMAIL)
    parts.push({ part: `*${i / CIRCULAR_UNITS_PER_EMAIL + 1}`, ids: audience.slice(i, i + CIRCULAR_UNITS_PER_EMAIL) });
  return parts;
}

/** What the deadline's calendar entry needs (see ics.ts); a stored milestone brings its revision. */
function deadlineEntry(
  plan: StagePlan,
  milestone: Milestone & { readonly revision?: number },
  unitId: string,
): DeadlineEntry {
  const { id, title, deadline, revision } = milestone;
  const deliverable = phrased(
    milestone.deliverable,
    plan.units.find((u) => u.id === unitId),
  );
  return {
    plan: { id: plan.id, title: plan.title },
    milestone: { id, title, deliverable, deadline, ...(revision === undefined ? {} : { revision }) },
    unit: unitId,
  };
}
