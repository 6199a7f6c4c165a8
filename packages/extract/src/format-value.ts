/** Longest text of a value shown in an assertion message. */
const MAX_MESSAGE_VALUE = 200;
/** Longest string kept as the `actual` of an assertion result. */
const MAX_ACTUAL_STRING = 1024;
/** Longest JSON of an object or array kept whole as the `actual` of an assertion result. */
const MAX_ACTUAL_JSON = 4096;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Formats a value for a message: JSON text, cut to 200 characters. */
export function formatValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return truncateText(text, MAX_MESSAGE_VALUE);
}

/** The JSON type name of a value: string, number, boolean, null, array, object (or undefined). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * The value kept as `actual` in an AssertionResult: huge strings are cut, and an object or array
 * whose JSON is longer than {@link MAX_ACTUAL_JSON} is kept as its JSON text, cut (`jsonpath $ equals
 * 1` on an 11 MB body kept the whole body: a 31 MB report.json, a 19 MB report.html).
 */
export function truncateActual(value: unknown): unknown {
  if (typeof value === 'string') return truncateText(value, MAX_ACTUAL_STRING);
  if (value === null || typeof value !== 'object') return value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return truncateText(String(value), MAX_ACTUAL_STRING);
  }
  return json !== undefined && json.length > MAX_ACTUAL_JSON ? truncateText(json, MAX_ACTUAL_STRING) : value;
}
