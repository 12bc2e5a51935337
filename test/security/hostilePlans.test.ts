import { describe, expect, it } from 'vitest';
import { parsePlan, parsePlanText } from '../../shared/domain/plan/validate.js';
import { issuesOf, MARKUP, markupPlan, SEED_TEXT, seedJson } from './hostile.js';

type Key = string | number;

/** The located issues of the seed with one value replaced, e.g. `refusalWith(['units', 0, 'name'], '…')`. */
function refusalWith(keys: readonly Key[], value: unknown) {
  const plan = seedJson();
  const parent = keys.slice(0, -1).reduce((node, key) => node[key], plan);
  parent[keys.at(-1) as Key] = value;
  return issuesOf(() => parsePlan(plan));
}

const SLUG_MESSAGE = 'must be an ASCII slug (a-z, 0-9, single hyphens), e.g. "district-plans"';

describe('markup in a plan', () => {
  it('keeps markup in names, titles, deliverables and basis as plain text for the notices to escape', () => {
    // Prepare / Act
    const plan = markupPlan();

    // Assess
    expect(plan.units[0]?.name).toBe(`市工业和信息化局${MARKUP.script}`);
    expect(plan.units[0]?.head.name).toBe(`${MARKUP.img}负责人`);
    expect(plan.milestones[1]?.title.startsWith(MARKUP.script)).toBe(true);
    expect(plan.milestones[1]?.deliverable.startsWith(MARKUP.img)).toBe(true);
    expect(plan.milestones[1]?.basis.startsWith(MARKUP.svg)).toBe(true);
  });
});

describe('header injection in addresses', () => {
  const single = 'must be a single-line email address';
  const invalid = (value: string) => `${JSON.stringify(value)} is not a valid email address`;

  it.each([
    [
      'CRLF and a Bcc header',
      ['units', 0, 'email'],
      'units[0].email',
      'a@x.example\r\nBcc: victim@evil.example',
      single,
    ],
    [
      'a bare LF',
      ['units', 5, 'head', 'email'],
      'units[5].head.email',
      'a@x.example\nBcc: victim@evil.example',
      single,
    ],
    [
      'a literal %0d%0a',
      ['units', 5, 'supervisor', 'email'],
      'units[5].supervisor.email',
      'a@x.example%0d%0aBcc:victim@evil.example',
      null,
    ],
    [
      'a comma-separated list',
      ['ladder', 'coordinator', 'email'],
      'ladder.coordinator.email',
      'a@x.example, b@y.example',
      null,
    ],
    ['a display-name form', ['units', 1, 'email'], 'units[1].email', '"Evil" <a@x.example>', null],
    ['a zero-width space', ['units', 1, 'email'], 'units[1].email', 'office\u200b@fgj.jiangmen.example', null],
    ['a Cyrillic letter in the domain', ['units', 1, 'email'], 'units[1].email', 'office@fgj.jiangmen.exаmple', null],
  ])('refuses a plan whose email carries %s', (_label, keys, path, value, message) => {
    // Prepare / Act
    const issues = refusalWith(keys, value);

    // Assess
    expect(issues).toEqual([{ path, message: message ?? invalid(value) }]);
  });
});

describe('look-alike Unicode', () => {
  it('refuses a unit id with a Cyrillic "а" that looks like an ASCII one', () => {
    // Prepare / Act
    const issues = refusalWith(['units', 0, 'id'], 'gхj');

    // Assess
    expect(issues).toContainEqual({ path: 'units[0].id', message: SLUG_MESSAGE });
  });

  it('refuses a reference with a zero-width space inside the id', () => {
    // Prepare / Act
    const issues = refusalWith(['milestones', 0, 'responsible'], ['g\u200bxj']);

    // Assess
    expect(issues).toEqual([{ path: 'milestones[0].responsible[0]', message: SLUG_MESSAGE }]);
  });

  it('refuses a deadline written with full-width digits', () => {
    // Prepare / Act
    const issues = refusalWith(['milestones', 1, 'deadline'], '２０２１-05-31');

    // Assess
    expect(issues).toEqual([
      { path: 'milestones[1].deadline', message: '"２０２１-05-31" is not a date (YYYY-MM-DD)' },
    ]);
  });

  it.each([
    ['a right-to-left override in a unit name', ['units', 5, 'name'], 'units[5].name', '蓬江区\u202e府政民人'],
    ['a left-to-right isolate in a head name', ['units', 5, 'head', 'name'], 'units[5].head.name', 'a\u2066b'],
    ['a right-to-left override in the basis', ['milestones', 0, 'basis'], 'milestones[0].basis', '4月底前\u202e，计划'],
  ])('refuses %s', (_label, keys, path, value) => {
    // Prepare / Act
    const issues = refusalWith(keys, value);

    // Assess
    expect(issues).toEqual([{ path, message: 'must not contain bidirectional control characters' }]);
  });
});

describe('control characters', () => {
  it.each([
    ['NUL', ['units', 0, 'name'], 'units[0].name', '市工业\u0000和信息化局'],
    ['CR LF', ['milestones', 0, 'title'], 'milestones[0].title', 'a\r\nb'],
    ['ESC', ['units', 2, 'head', 'name'], 'units[2].head.name', 'a\u001b[2Jb'],
    ['NEL (C1)', ['milestones', 1, 'deliverable'], 'milestones[1].deliverable', 'a\u0085b'],
    ['a line separator', ['ladder', 'coordinator', 'name'], 'ladder.coordinator.name', 'a\u2028b'],
  ])('refuses %s in a one-line field', (_label, keys, path, value) => {
    // Prepare / Act
    const issues = refusalWith(keys, value);

    // Assess
    expect(issues).toEqual([{ path, message: 'must be one line without control characters' }]);
  });

  it('refuses NUL in the basis but keeps its newlines', () => {
    // Prepare
    const multiline = seedJson();
    multiline.milestones[0].basis = '第一行\n第二行';

    // Act
    const issues = refusalWith(['milestones', 0, 'basis'], '第一行\n第二行\u0000');
    const accepted = parsePlan(multiline).milestones[0]?.basis;

    // Assess
    expect(issues).toEqual([{ path: 'milestones[0].basis', message: 'must not contain control characters' }]);
    expect(accepted).toBe('第一行\n第二行');
  });
});

describe('__proto__ and constructor keys', () => {
  it('refuses a top-level "__proto__" key and pollutes no prototype', () => {
    // Prepare
    const text = SEED_TEXT.replace('{', '{"__proto__": {"polluted": 1, "isAdmin": true},');

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toEqual([{ path: '(plan)', message: 'Unrecognized key: "__proto__"' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('refuses "__proto__" inside a unit and "constructor" inside a milestone', () => {
    // Prepare
    const text = SEED_TEXT.replace('"id": "gxj",', '"id": "gxj", "__proto__": {"polluted": 1},').replace(
      '"id": "city-plan",',
      '"id": "city-plan", "constructor": {"prototype": {"polluted": 1}},',
    );

    // Act
    const issues = issuesOf(() => parsePlanText(text));

    // Assess
    expect(issues).toEqual([
      { path: 'units[0]', message: 'Unrecognized key: "__proto__"' },
      { path: 'milestones[0]', message: 'Unrecognized key: "constructor"' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('enormous strings', () => {
  const huge = '督'.repeat(100_000);

  it.each([
    ['a unit name', ['units', 0, 'name'], 'units[0].name', huge, 'must be at most 80 characters'],
    ['a basis', ['milestones', 0, 'basis'], 'milestones[0].basis', huge, 'must be at most 2000 characters'],
    [
      'an email',
      ['units', 0, 'email'],
      'units[0].email',
      `${'a'.repeat(100_000)}@x.example`,
      'must be at most 254 characters',
    ],
  ])('refuses %s of 100 KB with a short length message', (_label, keys, path, value, message) => {
    // Prepare / Act
    const issues = refusalWith(keys, value);

    // Assess
    expect(issues).toEqual([{ path, message }]);
  });

  it('quotes only a short prefix of a huge value it cannot read', () => {
    // Prepare / Act
    const issues = refusalWith(['timezone'], 'x'.repeat(100_000));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('timezone');
    expect(issues[0]?.message).toMatch(/^"x{60}…" is not a known time zone$/);
  });
});

describe('ladder offsets', () => {
  it.each([
    [-31, 'Too small: expected number to be >=-30'],
    [-1_000_000, 'Too small: expected number to be >=-30'],
    [61, 'Too big: expected number to be <=60'],
    [1e9, 'Too big: expected number to be <=60'],
    [2.5, 'Invalid input: expected int, received number'],
  ])('refuses the offset %s', (offset, message) => {
    // Prepare / Act
    const issues = refusalWith(['ladder', 'stages', 5, 'offset'], offset);

    // Assess
    expect(issues).toEqual([{ path: 'ladder.stages[5].offset', message }]);
  });

  it('refuses a reminder after the deadline and an overdue stage before it', () => {
    // Prepare
    const plan = seedJson();
    plan.ladder.stages[0].offset = 3;
    plan.ladder.stages[3].offset = -1;

    // Act
    const issues = issuesOf(() => parsePlan(plan));

    // Assess
    expect(issues).toContainEqual({
      path: 'ladder.stages[0].offset',
      message: 'a reminder must come before the deadline (offset < 0)',
    });
    expect(issues).toContainEqual({
      path: 'ladder.stages[3].offset',
      message: 'overdue comes after the deadline (offset > 0)',
    });
  });
});
