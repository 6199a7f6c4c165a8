/** Turns driver values into JSON-safe values for results, reports and assertions. */

/** Integers beyond this cannot be represented exactly as a JSON number. */
function isSafe(value: bigint): boolean {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
}

/**
 * Converts a value deeply: bigint → number when safe else its decimal string, Buffer/typed array →
 * base64, Date → ISO string (an invalid date → null), `undefined` inside arrays → null. Plain
 * objects and arrays are copied; other objects keep their own JSON form (`toJSON`) when they have one.
 */
export function toJsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  switch (typeof value) {
    case 'bigint':
      return isSafe(value) ? Number(value) : value.toString();
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
    case 'boolean':
      return value;
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item));
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return toJsonSafe(withJson.toJSON());
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = toJsonSafe(item);
  }
  return out;
}

/** Parses an integer that a driver returned as text: a number when it is safe, else the text. */
export function parseSafeInteger(text: string): number | string {
  const parsed = Number(text);
  return Number.isSafeInteger(parsed) ? parsed : text;
}
