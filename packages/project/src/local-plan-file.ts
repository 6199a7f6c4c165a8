/**
 * A file of a plan made in this process, kept as the bytes that were read (the data file of `-d`).
 *
 * A plan carries its files as base64 so that it can travel (`sortie run --remote`, a job). A plan made
 * and run in the same process (`sortie run`) used to hold the data file three times for the whole run:
 * the bytes read, their base64 text (4.3 MB for a 100,000-row CSV of 3.2 MB) and the bytes decoded
 * again from it, and the rows were scanned twice. Here the base64 text is made only when something
 * reads it (JSON.stringify for an upload, a copy of the plan), and `hydratePlan` in the same process
 * takes the bytes and the rows already found (BENCHMARKS.md, 2026-12-04, issue 17).
 */
import type { IterationRows } from '@sortie/config';
import type { PlanFile, PlanIterationData } from './run-plan.js';

const localBytes = new WeakMap<PlanFile, Buffer>();
const localRows = new WeakMap<PlanIterationData, IterationRows>();

/** A plan file whose `base64` (an own, enumerable property, as JSON and copies need) is encoded when read. */
export function localPlanFile(bytes: Buffer): PlanFile {
  const file = Object.defineProperty({}, 'base64', {
    enumerable: true,
    get: () => bytes.toString('base64'),
  }) as PlanFile;
  localBytes.set(file, bytes);
  return file;
}

/** The bytes of a plan file made by {@link localPlanFile} in this process, else undefined. */
export function localFileBytes(file: PlanFile): Buffer | undefined {
  return localBytes.get(file);
}

/** Remembers the rows already found in the data file of a plan made in this process. */
export function rememberRows(data: PlanIterationData, rows: IterationRows): void {
  localRows.set(data, rows);
}

/** The rows found when the plan was made in this process, else undefined. */
export function localRowsOf(data: PlanIterationData): IterationRows | undefined {
  return localRows.get(data);
}
