import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  creditCodeProblem,
  describeCreditCodeProblem,
} from '../../shared/domain/exits/creditCode.js';

/**
 * Codes as published: GB 32100-2015's own example, and the licences of well-known enterprises (from their public
 * business registration), so the check character is tested against codes nobody computed with this code.
 */
const PUBLISHED = [
  '91350100M000100Y43', // GB 32100-2015, the standard's example
  '914403001922038216', // 华为技术有限公司
  '9144030071526726XG', // 深圳市腾讯计算机系统有限公司
  '91110000802100433B', // 北京百度网讯科技有限公司
];

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts published codes, whose check character it computes itself', () => {
    for (const code of PUBLISHED) {
      expect(creditCodeProblem(code), code).toBeUndefined();
      expect(creditCodeCheckCharacter(code.slice(0, 17)), code).toBe(code[17]);
    }
  });

  it('uses the 31 characters of the standard: digits and capitals without I, O, Z, S, V', () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    expect([...'IOZSV'].filter((c) => CREDIT_CODE_ALPHABET.includes(c))).toEqual([]);
  });

  it('names the check character a mistyped code should have had, in Chinese', () => {
    // Prepare: Huawei's code with its last character changed.
    const wrong = '914403001922038217';

    // Act
    const problem = creditCodeProblem(wrong);

    // Assess
    expect(problem).toEqual({ kind: 'check', expected: '6' });
    expect(describeCreditCodeProblem(problem as NonNullable<typeof problem>)).toBe('校验位应为 6');
  });

  it('catches a single changed character and two swapped neighbours in the body', () => {
    const code = PUBLISHED[1] as string;
    const changed = `${code.slice(0, 10)}${code[10] === '9' ? '8' : '9'}${code.slice(11)}`;
    const swapped = `${code.slice(0, 9)}${code[10]}${code[9]}${code.slice(11)}`;
    expect(creditCodeProblem(changed)?.kind).toBe('check');
    expect(swapped).not.toBe(code);
    expect(creditCodeProblem(swapped)?.kind).toBe('check');
  });

  it('refuses a wrong length, a character outside the alphabet and a region that is not six digits, saying which', () => {
    expect(describeCreditCodeProblem(creditCodeProblem('91440300192203821') as never)).toBe('应为18位，现为17位');
    expect(describeCreditCodeProblem(creditCodeProblem('9144030019220382I6') as never)).toBe(
      '第17位“I”不是有效字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）',
    );
    expect(creditCodeProblem('91A40300192203821X')).toEqual({ kind: 'region' });
  });

  it('treats 31 as 0: a body whose weighted sum is a multiple of 31 takes the check character 0', () => {
    // 17 zeros: the sum is 0, so 31 − 0 = 31, written 0.
    expect(creditCodeCheckCharacter('00000000000000000')).toBe('0');
  });
});
