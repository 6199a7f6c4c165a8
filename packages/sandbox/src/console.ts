/**
 * `console.log / info / warn / error / debug`: captured into the outcome's logs (for the report),
 * never printed. Values are formatted the way a developer expects to read them.
 */

/** Longest message kept per log line, and most lines kept per run (past it, one line says how many were dropped). */
export const MAX_LOG_MESSAGE = 10_000;
export const MAX_LOG_LINES = 1_000;
/** Longest `pm.test` name kept (a name built from a whole response body would otherwise fill every report). */
export const MAX_TEST_NAME = 1_000;
