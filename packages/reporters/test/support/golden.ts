/**
 * Golden files: output is normalised (times, durations, timestamps) and compared with
 * test/golden/<name>. `UPDATE_GOLDEN=1 npx vitest run packages/reporters` rewrites them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');

export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, actual);
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => {
    throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run packages/reporters`);
  });
  expect(actual).toBe(expected);
}

/** Replaces durations such as `12 ms` and `1.23 s` in CLI output. */
export function normaliseCli(text: string): string {
  return text.replace(/\b\d+ ms\b/g, '<ms>').replace(/\b\d+\.\d+ s\b/g, '<ms>');
}

/** Replaces `time` and `timestamp` attributes in JUnit XML. */
export function normaliseJunit(xml: string): string {
  return xml.replace(/ time="[^"]*"/g, ' time="<time>"').replace(/ timestamp="[^"]*"/g, ' timestamp="<timestamp>"');
}

/** Replaces start times, durations and timings in the JSON report. */
export function normaliseJson(json: string): string {
  return json
    .replace(/"startedAt": ("[^"]*"|\d+(\.\d+)?)/g, '"startedAt": "<time>"')
    .replace(/"(durationMs|firstByte|download|total)": \d+(\.\d+)?/g, '"$1": "<ms>"');
}
