/** Longest text of a value shown in an assertion message. */
const MAX_MESSAGE_VALUE = 200;
/** Longest string kept as the `actual` of an assertion result. */
const MAX_ACTUAL_STRING = 1024;
/** Longest JSON of an object or array kept whole as the `actual` of an assertion result. */
const MAX_ACTUAL_JSON = 4096;

/**
 * Cuts `text` to `max` UTF-16 code units, marking the cut with an ellipsis, never between the two
 * halves of a character outside the BMP (an emoji): a lone surrogate showed as � in the terminal, as
 * `\ud83d` in report.json (which strict JSON readers refuse) and in the JUnit XML.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
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
