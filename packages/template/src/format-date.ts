const TOKENS = /\[([^\]]*)\]|YYYY|YY|MM|M|DD|D|HH|H|mm|m|ss|s|SSS|X|x|Z/g;

/**
 * Formats a date in UTC with a small dayjs-like pattern: `YYYY YY MM M DD D HH H mm m ss s SSS` for the parts,
 * `X` for Unix seconds, `x` for Unix milliseconds, `Z` for the offset (`+00:00`); text in `[brackets]` is literal.
 */
export function formatDate(date: Date, pattern: string): string {
  return pattern.replace(TOKENS, (token: string, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY':
        return String(date.getUTCFullYear()).padStart(4, '0');
      case 'YY':
        return String(date.getUTCFullYear() % 100).padStart(2, '0');
      case 'MM':
        return pad2(date.getUTCMonth() + 1);
      case 'M':
        return String(date.getUTCMonth() + 1);
      case 'DD':
        return pad2(date.getUTCDate());
      case 'D':
        return String(date.getUTCDate());
      case 'HH':
        return pad2(date.getUTCHours());
      case 'H':
        return String(date.getUTCHours());
      case 'mm':
        return pad2(date.getUTCMinutes());
      case 'm':
        return String(date.getUTCMinutes());
      case 'ss':
        return pad2(date.getUTCSeconds());
      case 's':
        return String(date.getUTCSeconds());
      case 'SSS':
        return String(date.getUTCMilliseconds()).padStart(3, '0');
      case 'X':
        return String(Math.floor(date.getTime() / 1000));
      case 'x':
        return String(date.getTime());
      default:
        return '+00:00';
    }
  });
}

/** Converts a Date, epoch milliseconds or a parsable date string to a valid Date; undefined otherwise. */
export function toDate(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && value.trim() !== '') date = new Date(value);
  return date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
