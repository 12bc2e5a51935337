import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenExitNotices } from '../support/goldenExitNotices.js';
import { goldenNotices } from '../support/goldenNotices.js';

/**
 * One reference rendering per notice kind of the seed plan, the exit ledger's too (text and HTML), checked in under test/golden/:
 * a change to a notice is a visible diff in review. After a deliberate change, rewrite them with
 * `DUBAN_UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts` and read the diff before committing.
 */
const DIR = new URL('../golden/', import.meta.url);
const update = process.env.DUBAN_UPDATE_GOLDEN === '1';

describe('golden notices of the seed plan (test/golden/)', () => {
  const notices = { ...goldenNotices(), ...goldenExitNotices() };

  it('covers every kind: the five stages, the escalation, a repeated 催办, the partners’ 函, the four answers and the exit ledger’s six', () => {
    expect(Object.keys(notices).sort()).toEqual(
      [
        'accepted',
        'circular',
        'due',
        'escalation',
        'exit-circular',
        'exit-due',
        'exit-escalation',
        'exit-overdue',
        'exit-reminder',
        'exit-summons',
        'extension-approved',
        'extension-rejected',
        'overdue',
        'overdue-repeat',
        'partner',
        'reminder',
        'returned',
        'summons',
      ].sort(),
    );
  });

  it.each(Object.keys(notices))('%s renders as its reference (subject, text and HTML)', (kind) => {
    const email = notices[kind];
    if (!email) throw new Error(`no ${kind}`);
    const text = `Subject: ${email.subject}\nTo: ${email.to.join(', ')}\nCc: ${email.cc.join(', ')}\n\n${email.text}\n`;
    const files = { [`${kind}.txt`]: text, [`${kind}.html`]: `${email.html}\n` };
    for (const [name, content] of Object.entries(files)) {
      const file = new URL(name, DIR);
      if (update) {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, content);
      }
      expect(
        existsSync(file),
        `${name} is missing: run DUBAN_UPDATE_GOLDEN=1 npx vitest run test/unit/golden.test.ts`,
      ).toBe(true);
      expect(content, `${name} differs from its reference`).toBe(readFileSync(file, 'utf8'));
    }
  });
});
