/**
 * "Did you mean …?" for every message that names an unknown word: configuration keys and values (`@sortie/config`),
 * template filters and dynamic values (`@sortie/template`). One rule so that the same typo gets the same answer
 * everywhere. Hand-written rather than `fastest-levenshtein`: it is 30 lines, and that library counts a swap of two
 * neighbouring letters as two edits, the most common typo we want to catch.
 */

/**
 * The candidate closest to `word` by case-insensitive edit distance (optimal string alignment: insert, delete,
 * substitute, or swap two neighbours, each 1), or undefined when none is within `max(1, ⌊length/3⌋)` edits or the
 * closest is `word` itself. Ties go to the earlier candidate.
 */
export function suggestClosest(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = measureEditDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(needle.length / 3));
  return best !== undefined && bestDistance <= allowed && best !== word ? best : undefined;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function measureEditDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
