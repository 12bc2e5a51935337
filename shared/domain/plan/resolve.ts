import { distance } from 'fastest-levenshtein';
import { UnknownReferenceError } from '../errors.js';
import type { Plan } from './schema.js';

/** Something a person names by id or by its Chinese name: a unit or a milestone. */
interface Named {
  readonly id: string;
  readonly name: string;
}

const KIND_LABEL = { unit: '单位', milestone: '事项' } as const;

/** The closest of `candidates` to `input`, by id or by name, if it is close enough to be what was meant. */
function closest(input: string, candidates: readonly Named[]): Named | undefined {
  const wanted = input.trim().toLowerCase();
  let best: { named: Named; score: number } | undefined;
  for (const named of candidates) {
    for (const text of [named.id, named.name]) {
      const d = distance(wanted, text.toLowerCase());
      // A typo, or a name typed in part (江海区 for 江海区人民政府).
      const score = text.includes(input.trim()) && input.trim().length >= 2 ? 0.5 : d / Math.max(text.length, 1);
      if (!best || score < best.score) best = { named, score };
    }
  }
  return best && best.score <= 0.5 ? best.named : undefined;
}

/**
 * The id of the unit or milestone a person named: its id, or its Chinese name (`江海区人民政府` → `jianghai`).
 * Anything else is refused with "did you mean" and the list of valid ones, ids with names.
 */
function resolve(kind: keyof typeof KIND_LABEL, input: string, candidates: readonly Named[]): string {
  const text = input.trim();
  const exact = candidates.find((c) => c.id === text) ?? candidates.find((c) => c.name === text);
  if (exact) return exact.id;
  const guess = closest(text, candidates);
  const list = candidates.map((c) => `${c.id}（${c.name}）`).join('、');
  const hint = guess ? `您是不是要找 ${guess.id}（${guess.name}）？` : '';
  throw new UnknownReferenceError(
    `没有名为“${text}”的${KIND_LABEL[kind]}。${hint}可用的${KIND_LABEL[kind]}：${list}`,
    kind,
  );
}

/** A unit of the plan, by id or Chinese name. */
export const resolveUnit = (plan: Pick<Plan, 'units'>, input: string) => resolve('unit', input, plan.units);

/** A milestone of the plan, by id or title. */
export const resolveMilestone = (plan: Pick<Plan, 'milestones'>, input: string) =>
  resolve(
    'milestone',
    input,
    plan.milestones.map((m) => ({ id: m.id, name: m.title })),
  );
