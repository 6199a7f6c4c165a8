/**
 * A count and its noun, the noun in the plural unless the count is 1: `1 error`, `0 errors`,
 * `2 passes`. `plural` is the plural form when adding "s" is wrong (`entry` → `entries`).
 */
export function countNoun(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
