/**
 * Timestamps keep the microseconds the database stores. A JavaScript Date holds milliseconds, so a value
 * with a finer fraction (PostgreSQL TIMESTAMP and TIMESTAMPTZ, MySQL DATETIME(6) and TIMESTAMP(6)) is
 * reported as ISO text with all its digits (`2024-02-03T04:05:06.123456Z`); one without stays a Date
 * (`2024-02-03T04:05:06.123Z` as before).
 */

/**
 * `date` (already exact to the millisecond) with the digits of `fraction` beyond the third: the ISO text
 * with them when any is not zero, else `date` itself. A year outside 0000–9999 (no 24-character ISO
 * form) keeps the Date.
 */
export function withSubMilliseconds(date: Date, fraction: string | undefined): Date | string {
  const beyond = (fraction ?? '').slice(3).replace(/0+$/, '');
  if (beyond === '' || Number.isNaN(date.getTime())) return date;
  const iso = date.toISOString();
  return iso.length === 24 ? `${iso.slice(0, 23)}${beyond}Z` : date;
}

/** The digits after the decimal point of the seconds in a timestamp's text (`… 04:05:06.123456+02` → `123456`). */
export function readFraction(text: string): string | undefined {
  return /:\d{2}\.(\d+)/.exec(text)?.[1];
}
