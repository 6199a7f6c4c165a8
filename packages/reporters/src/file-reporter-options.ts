import type { Redactor } from '@sortie/core';

/** Options of the reporters that write a file (json, junit). */
export interface FileReporterOptions {
  /** Path of the report; parent directories are created. */
  file: string;
  /** Applied to every string written, as a last line of defence (events are already redacted). Default: none. */
  redactor?: Redactor;
  /** Version of Sortie recorded in the report. Default: `unknown`. */
  toolVersion?: string;
}
