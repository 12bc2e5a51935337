/**
 * 统一社会信用代码 — the unified social credit code of GB 32100-2015: 18 characters drawn from 31 (the digits and
 * the capital letters but I, O, Z, S and V, which read like digits): 登记管理部门码 (1), 机构类别码 (1), 登记管理机关
 * 行政区划码 (6 digits), 主体标识码 (9, the organisation code) and a check character. The check character is
 * 31 − (Σ value(cᵢ) × wᵢ mod 31) over the first 17, with wᵢ = 3^(i−1) mod 31 (the standard's table: 1 3 9 27 19
 * 26 16 17 20 29 25 13 8 24 10 30 28) and 31 written as 0.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export const CREDIT_CODE_LENGTH = 18;

/** The check character the first 17 characters call for, or undefined when one of them is not in the alphabet. */
export function creditCodeCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i] as string);
    if (value < 0) return undefined;
    sum += value * (WEIGHTS[i] as number);
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** What is wrong with a code as typed, in Chinese, or undefined when it is valid. */
export type CreditCodeProblem =
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'character'; readonly position: number; readonly character: string }
  | { readonly kind: 'region' }
  | { readonly kind: 'check'; readonly expected: string };

/**
 * Checks a code as it would be written on a licence: upper case, no spaces (the caller trims and upper-cases
 * what a person typed). The region part (positions 3–8) must be digits.
 */
export function creditCodeProblem(code: string): CreditCodeProblem | undefined {
  const chars = [...code];
  if (chars.length !== CREDIT_CODE_LENGTH) return { kind: 'length', length: chars.length };
  const bad = chars.findIndex((c) => !CREDIT_CODE_ALPHABET.includes(c));
  if (bad >= 0) return { kind: 'character', position: bad + 1, character: chars[bad] as string };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { kind: 'region' };
  const expected = creditCodeCheckCharacter(code.slice(0, 17)) as string;
  return code[17] === expected ? undefined : { kind: 'check', expected };
}

/** The problem as a person reads it, after the field's name: `校验位应为 X`. */
export function describeCreditCodeProblem(problem: CreditCodeProblem): string {
  switch (problem.kind) {
    case 'length':
      return `应为18位，现为${problem.length}位`;
    case 'character':
      return `第${problem.position}位“${problem.character}”不是有效字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）`;
    case 'region':
      return '第3至8位应为行政区划码（6位数字）';
    case 'check':
      return `校验位应为 ${problem.expected}`;
  }
}

/** A code as a person may have typed it: spaces removed, letters upper-cased. */
export const normalizeCreditCode = (typed: string) => typed.replace(/[\s\u3000]/g, '').toUpperCase();
