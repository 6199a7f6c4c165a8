/**
 * The JSON report's version and schema address, apart from its Zod schema (report-schema.ts): the
 * JSON reporter needs only these, and a run does not build the report schema (354 Zod schema
 * objects) for them.
 */

/** Version of the report format. Bumped on any incompatible change. */
export const REPORT_VERSION = 1;

/** Where the JSON Schema of the report is published. */
export const REPORT_SCHEMA_URL = 'https://sortie.dev/schemas/report.schema.json';
