/**
 * Keys of MongoDB Extended JSON (canonical and relaxed) type wrappers that stand for a plain value:
 * `{"$oid": …}`, `{"$date": …}`, `{"$numberLong": …}`. `$regularExpression` is left out on purpose: as a
 * filter value it matches by pattern, which is a condition, not data.
 * @see https://www.mongodb.com/docs/manual/reference/mongodb-extended-json/
 */
export const EXTENDED_JSON_VALUE_KEYS: ReadonlySet<string> = new Set([
  '$oid',
  '$date',
  '$numberLong',
  '$numberInt',
  '$numberDouble',
  '$numberDecimal',
  '$binary',
  '$uuid',
  '$timestamp',
  '$minKey',
  '$maxKey',
  '$symbol',
  '$code',
  '$scope',
  '$dbPointer',
  '$undefined',
]);
