/**
 * @sortie/reporters — consumers of run events: the CLI progress output, the JSON report, the
 * JUnit XML report and the HTML report. Reporters depend on @sortie/core only.
 */
export { sanitizeTerminalLine, sanitizeTerminalText } from './cli/ansi.js';
export type { CliReporterOptions } from './cli/cli-reporter.js';
export { createCliReporter } from './cli/cli-reporter.js';
export type { LiveStatusOptions } from './cli/live-status.js';
export { closeReporters, closeReportersSettled, dispatchEvent } from './dispatch.js';
export type { FileReporterOptions } from './file-reporter-options.js';
export { escapeHtml, HtmlText } from './html/escape-html.js';
export type { HtmlReporterOptions } from './html/html-reporter.js';
export { createHtmlReporter } from './html/html-reporter.js';
export { PAGE_SCRIPT, PAGE_STYLE } from './html/page-assets.js';
export type { RunSummaryInfo } from './html/render-page.js';
export {
  renderFragmentFoot,
  renderPageFoot,
  renderPageHead,
  renderScenarioHead,
  renderScenarioTail,
  renderSummary,
} from './html/render-page.js';
export type { StepRenderContext } from './html/render-step.js';
export { renderStepTree } from './html/render-step.js';
export { ScenarioAnchors } from './html/scenario-anchors.js';
export { StepAnchors } from './html/step-anchors.js';
export { createJsonReporter } from './json/json-reporter.js';
export type { Report, ReportScenario } from './json/report-schema.js';
export { REPORT_SCHEMA_URL, REPORT_VERSION, ReportScenarioSchema, ReportSchema, ReportStepSchema } from './json/report-schema.js';
export { createJunitReporter } from './junit/junit-reporter.js';
export type { Reporter } from './reporter.js';
export { createEventLogReporter, type EventLogOptions, readEventLog } from './shards/event-log.js';
export { mergeRunResults, mergeShards } from './shards/merge-shards.js';
export { formatScenarioKey } from './shared/scenario-key.js';
export { toWriteError } from './shared/write-error.js';
