/**
 * Rows of a SQL result as objects keyed by column name. Two columns of the same name (`SELECT 1 AS id,
 * 2 AS id`, `SELECT * FROM a JOIN b` where both have `id`) would share one key, the last value
 * replacing the first: every later one is named with its rank instead (`id`, `id_2`, `id_3`), a name no
 * other column of the result has, so each value is in the row. The same on MySQL, PostgreSQL and SQLite.
 */

/** The keys of the columns `names`, in order: a repeated name gets `_2`, `_3`… (the first free one). */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let rank = 2;
    while (taken.has(`${name}_${rank}`)) rank++;
    const key = `${name}_${rank}`;
    taken.add(key);
    return key;
  });
}

/**
 * Rows given as arrays of values (in the order of `names`) as objects, each value through `convert`
 * (the JSON-safe conversion: done here, the rows of a large result are copied once, not twice).
 */
export function toRowObjects(
  names: readonly string[],
  rows: readonly unknown[][],
  convert: (value: unknown) => unknown = (value) => value,
): Record<string, unknown>[] {
  const keys = uniqueColumnNames(names);
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let at = 0; at < rows.length; at++) {
    const values = rows[at]!;
    const row: Record<string, unknown> = {};
    for (let index = 0; index < keys.length; index++) row[keys[index]!] = convert(values[index]);
    out[at] = row;
  }
  return out;
}
