/**
 * The value of a whole-number flag when it is written as plain decimal digits ("100", "007"), else
 * undefined. Number() alone would also take "1e2", "0x10", "0b11", "1.0", "+3", " 3" and "" (as 0),
 * spellings the docs ("a positive whole number") do not promise and a typo can produce.
 */
export function wholeNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
