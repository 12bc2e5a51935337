import { CommanderError, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT, explainError, RefusedError, UsageError, wholeNumber } from '../../cli/errors.js';
import { PlanNotFoundError, RuleRefusedError } from '../../shared/domain/errors.js';
import { PlanValidationError } from '../../shared/domain/plan/validate.js';
import { ConcurrentEditError } from '../../shared/domain/ports.js';

describe('the CLI exit codes', () => {
  it.each([
    [
      'a command line commander refused',
      new CommanderError(1, 'commander.unknownOption', 'unknown option'),
      EXIT.usage,
    ],
    ['a usage error of ours', new UsageError('--bodies only means something with --json'), EXIT.usage],
    ['an invalid plan', new PlanValidationError([{ path: 'units[0].id', message: 'must be a slug' }]), EXIT.refused],
    ['a plan not in the calendar', new PlanNotFoundError('nowhere'), EXIT.refused],
    ['a rule of the domain', new RuleRefusedError('at … is in the future'), EXIT.refused],
    ['a concurrent edit', new ConcurrentEditError('changed by someone else'), EXIT.refused],
    ['a situation that does not allow it', new RefusedError('no local stack is running'), EXIT.refused],
    ['anything else', new Error('socket hang up'), EXIT.failed],
  ])('ends %s with its code', (_, error, code) => {
    // Act
    const explained = explainError(error);

    // Assess
    expect(explained.code).toBe(code);
  });

  it('prints every located issue of an invalid plan, one per line', () => {
    // Act
    const { lines } = explainError(
      new PlanValidationError([
        { path: 'units[0].id', message: 'must be a slug' },
        { path: 'milestones[1].deadline', message: '"2021-02-30" is not a date (YYYY-MM-DD)' },
      ]),
    );

    // Assess
    expect(lines).toEqual([
      'units[0].id: must be a slug',
      'milestones[1].deadline: "2021-02-30" is not a date (YYYY-MM-DD)',
    ]);
  });

  it('parses a numeric option as a whole number in its range, or says what it must be', () => {
    // Prepare
    const tick = wholeNumber(1, 3600);

    // Act and Assess
    expect(tick('5')).toBe(5);
    for (const bad of ['0', '3601', '1.5', 'five', '', '-1'])
      expect(() => tick(bad)).toThrow(new InvalidArgumentError(`must be a whole number from 1 to 3600, got "${bad}"`));
  });
});
