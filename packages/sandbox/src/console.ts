/**
 * `console.log / info / warn / error / debug`: captured into the outcome's logs (for the report),
 * never printed. Values are formatted the way a developer expects to read them.
 */

/** Longest message kept per log line, and most lines kept per run. */
export const MAX_LOG_MESSAGE = 10_000;
export const MAX_LOG_LINES = 1_000;
