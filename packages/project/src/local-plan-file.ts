/**
 * The data file (`-d`) of a plan made in this process, not held as bytes.
 *
 * A plan carries its files as base64 so that it can travel (`sortie run --remote`, a job). A plan made
 * and run in the same process (`sortie run`) used to hold the data file three times for the whole run:
 * the bytes read, their base64 text (4.3 MB for a 100,000-row CSV of 3.2 MB) and the bytes decoded
 * again from it, and the rows were scanned twice; then once, as the bytes read. Now the base64 text
 * is made only when something reads it (JSON.stringify for an upload, a copy of the plan), from the
 * file read again, and `hydratePlan` in the same process takes the rows already found, which read
 * the file as the run goes (BENCHMARKS.md, 2026-12-04, issue 17, branches rows4 and rows6).
 */
import type { IterationRows } from '@sortie/config';
import type { PlanFile, PlanIterationData } from './run-plan.js';

const localDataFiles = new WeakSet<PlanFile>();
const localRows = new WeakMap<PlanIterationData, IterationRows>();

/**
 * The data file of a plan made in this process: its bytes are not held (the run reads its rows from
 * the file as it goes); `read` reads them again when something reads `base64` (an upload, a copy).
 */
export function localDataFile(read: () => Buffer): PlanFile {
  const file = Object.defineProperty({}, 'base64', {
    enumerable: true,
    get: () => read().toString('base64'),
  }) as PlanFile;
  localDataFiles.add(file);
  return file;
}

/** Whether `file` was made by {@link localDataFile} in this process (its rows are read from disk, so the run needs no bytes). */
export function isLocalDataFile(file: PlanFile): boolean {
  return localDataFiles.has(file);
}

/** Remembers the rows already found in the data file of a plan made in this process. */
export function rememberRows(data: PlanIterationData, rows: IterationRows): void {
  localRows.set(data, rows);
}

/** The rows found when the plan was made in this process, else undefined. */
export function localRowsOf(data: PlanIterationData): IterationRows | undefined {
  return localRows.get(data);
}
