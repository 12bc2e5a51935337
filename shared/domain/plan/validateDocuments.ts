/** One located problem (the same shape as validate.ts's PlanIssue). */
interface PlanIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The references of the 公文 settings (issue 15), read from the raw input like the others so that they are
 * checked even when another part of the file has the wrong shape: issuers, joint issuers and the circular's
 * 抄送 must be units of the plan; a partner (会同) is not also responsible; 抄送 is for the circular alone,
 * since every other stage writes to a unit with its own link.
 */
export function documentIssues(input: unknown, unitIds: ReadonlySet<string>): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const known = (path: string, id: unknown) => {
    if (typeof id === 'string' && /^[a-z0-9-]+$/.test(id) && !unitIds.has(id)) add(path, `unknown unit "${id}"`);
  };
  const issuer = (path: string, ref: unknown) => {
    known(`${path}.unit`, field(ref, 'unit'));
    listOf(field(ref, 'joint')).forEach((id, i) => {
      known(`${path}.joint[${i}]`, id);
      if (id === field(ref, 'unit')) add(`${path}.joint[${i}]`, `"${id}" is the issuer itself`);
    });
  };

  const issuers = field(input, 'issuers');
  if (issuers && typeof issuers === 'object') for (const id of Object.keys(issuers)) known(`issuers.${id}`, id);
  const ladder = field(input, 'ladder');
  issuer('ladder.issuer', field(ladder, 'issuer'));
  listOf(field(ladder, 'stages')).forEach((stage, i) => {
    const at = `ladder.stages[${i}]`;
    issuer(`${at}.issuer`, field(stage, 'issuer'));
    const cc = field(stage, 'cc');
    if (cc !== undefined && field(stage, 'stage') !== 'circular')
      add(`${at}.cc`, 'only a circular is copied: the other stages carry the unit’s own link');
    listOf(cc).forEach((id, j) => {
      known(`${at}.cc[${j}]`, id);
    });
  });
  listOf(field(input, 'milestones')).forEach((m, i) => {
    issuer(`milestones[${i}].issuer`, field(m, 'issuer'));
    const responsible = listOf(field(m, 'responsible'));
    listOf(field(m, 'partners')).forEach((id, j) => {
      if (typeof id === 'string' && responsible.includes(id))
        add(`milestones[${i}].partners[${j}]`, `"${id}" is also responsible: a partner works with them`);
    });
  });
  return issues;
}

const field = (input: unknown, key: string): unknown =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, key)
    ? (input as Record<string, unknown>)[key]
    : undefined;
const listOf = (input: unknown): unknown[] => (Array.isArray(input) ? input : []);
