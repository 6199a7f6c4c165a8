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
  /** Version of Sortie recorded in the report. Default: the version of this Sortie (the `sortie` package's). */
  toolVersion?: string;
  /**
   * Keeps the report in memory instead of writing `file`: once complete, its bytes are handed to this
   * function (`file` still names the report in errors; nothing is created on disk for it). For a caller
   * that moves the report elsewhere anyway, as the runner agent does through Redis: no directory,
   * `.partial` file, rename or read back per run. The report is held whole, so this suits reports
   * the caller would hold whole anyway. Default: write `file`.
   */
  onReport?: (content: Buffer) => void;
}
