import type { Redactor } from '@sortie/core';

/** Options of the reporters that write a file (json, junit). */
export interface FileReporterOptions {
  /** Path of the report; parent directories are created. */
  file: string;
  /**
   * Applied to every string written. Events were redacted once as the engine emitted them; this pass
   * is for secrets registered after an event went out (a token a later step extracts, which an
   * earlier response echoed). Default: none.
   */
  redactor?: Redactor;
  /** Version of Sortie recorded in the report. Default: `unknown`. */
  toolVersion?: string;
}
