/** Runs event sequences through reporters and returns what they wrote. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redactor, RunEvent } from '@sortie/core';
import {
  closeReporters,
  createCliReporter,
  createJsonReporter,
  createJunitReporter,
  dispatchEvent,
  type Reporter,
} from '../../src/index.js';

export async function feed(reporter: Reporter, events: RunEvent[]): Promise<void> {
  for (const event of events) dispatchEvent([reporter], event);
  await closeReporters([reporter]);
}

export async function driveJunit(dir: string, name: string, events: RunEvent[], redactor?: Redactor): Promise<string> {
  const file = join(dir, name, 'junit.xml');
  await feed(createJunitReporter(redactor === undefined ? { file } : { file, redactor }), events);
  return readFile(file, 'utf8');
}

export async function driveJson(dir: string, name: string, events: RunEvent[], redactor?: Redactor): Promise<string> {
  const file = join(dir, name, 'report.json');
  const options = { file, toolVersion: '1.2.3' };
  await feed(createJsonReporter(redactor === undefined ? options : { ...options, redactor }), events);
  return readFile(file, 'utf8');
}

export async function driveCli(
  events: RunEvent[],
  options: { color?: boolean; verbose?: boolean; quiet?: boolean; redactor?: Redactor } = {},
): Promise<string> {
  const chunks: string[] = [];
  await feed(createCliReporter({ ...options, write: (text) => chunks.push(text) }), events);
  return chunks.join('');
}
