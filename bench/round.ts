/** Rounds to `digits` decimals: figures in the report carry no more precision than they have. */
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
