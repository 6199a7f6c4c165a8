/**
 * Says which field of a cron pattern cron-parser (BullMQ's) refused. Its own messages name the value
 * only ("Constraint error, got value 60 expected range 0-59", "Invalid characters, got value: 1W"),
 * so `0 60 * * * *` did not say whether the second or the minute was wrong.
 */

/** The fields of a pattern of 5 (or 6, seconds first) and the values each takes. */
const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

/**
 * cron-parser's message about `cron`, with the field it is about: `the minute field "60": 60 is
 * not from 0 to 59`. The message as it came when no single field can be told.
 */
export function cronFieldError(cron: string, message: string): string {
  const texts = cron.trim().split(/\s+/);
  if (texts.length !== 5 && texts.length !== 6) return message;
  const fields = (texts.length === 5 ? FIELDS.slice(1) : FIELDS).map((field, i) => ({ ...field, text: texts[i] as string }));
  const range = /got (?:value|range) (\S+) expected range (\d+)-(\d+)/.exec(message);
  if (range !== null) {
    const [, value, min, max] = range as unknown as [string, string, string, string];
    const field = oneField(
      fields.filter((candidate) => candidate.min === Number(min) && candidate.max === Number(max)),
      value,
    );
    return field === undefined ? message : `the ${field.name} field ${JSON.stringify(field.text)}: ${value} is not from ${min} to ${max}`;
  }
  const refused = /^(Invalid characters, got value: |Invalid range: |Invalid repeat: )(.+)$/.exec(message);
  if (refused === null) return message;
  const [, kind, token] = refused as unknown as [string, string, string];
  const field = oneField(fields, token);
  if (field === undefined) return message;
  const problem = kind.startsWith('Invalid range')
    ? 'goes from the higher value to the lower'
    : kind.startsWith('Invalid repeat')
      ? 'is not a step it takes'
      : 'is not a value it takes';
  return `the ${field.name} field ${JSON.stringify(field.text)}: ${JSON.stringify(token)} ${problem}`;
}

/** The one candidate, or the one whose text holds `value` (a list item, a range's end, a step). */
function oneField<T extends { text: string }>(candidates: T[], value: string): T | undefined {
  if (candidates.length === 1) return candidates[0];
  const holding = candidates.filter(
    (field) => field.text === value || field.text.split(/[,/-]/).includes(value) || field.text.split(',').includes(value),
  );
  return holding.length === 1 ? holding[0] : undefined;
}
