/**
 * The value a typed Postman variable (`type` "string", "number" or "boolean") has in Newman:
 * postman-collection's `Variable#get` passes it through the type's function (`String`, `Number`,
 * `Boolean`), so `{ "value": "7", "type": "number" }` is the number 7 and `{ "value": "false",
 * "type": "boolean" }` is `true` (a non-empty string). Other types (`default`, `any`, `secret`, none)
 * keep the value as written. An object is never made a string, and a value `Number` cannot read stays
 * as written (Newman would give `NaN`, which has no JSON form).
 * @see https://www.postmanlabs.com/postman-collection/Variable.html#.types
 */
export function typedValue(value: unknown, type: unknown): unknown {
  if (value !== null && typeof value === 'object') return value;
  switch (type) {
    case 'string':
      return String(value);
    case 'boolean':
      return Boolean(value);
    case 'number': {
      const number = Number(value);
      return Number.isNaN(number) ? value : number;
    }
    default:
      return value;
  }
}
