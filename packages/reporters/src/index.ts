/**
 * @sortie/reporters — consumers of run events: the CLI progress output, the JSON report and the
 * JUnit XML report. Reporters depend on @sortie/core only.
 */
export type { CliReporterOptions } from './cli/cli-reporter.js';
export { createCliReporter } from './cli/cli-reporter.js';
export { closeReporters, dispatchEvent } from './dispatch.js';
export type { FileReporterOptions } from './file-reporter-options.js';
export { createJsonReporter } from './json/json-reporter.js';
export type { Report, ReportScenario } from './json/report-schema.js';
export { REPORT_SCHEMA_URL, REPORT_VERSION, ReportScenarioSchema, ReportSchema, ReportStepSchema } from './json/report-schema.js';
export { createJunitReporter } from './junit/junit-reporter.js';
export type { Reporter } from './reporter.js';
export { formatScenarioKey } from './shared/scenario-key.js';
