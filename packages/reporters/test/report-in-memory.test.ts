import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHtmlReporter, createJsonReporter, createJunitReporter, type FileReporterOptions, type Reporter } from '../src/index.js';
import { feed } from './support/drive.js';
import { requestStep, type ScenarioPlan, sequentialRun } from './support/events.js';
import { failuresPlan, nestedPlan, passingPlan } from './support/plans.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-memory-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reporters: Record<string, (options: FileReporterOptions) => Reporter> = {
  json: (options) => createJsonReporter(options),
  junit: (options) => createJunitReporter(options),
  html: (options) => createHtmlReporter(options),
};

/** A scenario whose steps take about 240 KiB in a report: spools and report chunks of more than 64 KiB. */
function bigPlan(): ScenarioPlan {
  const big = 'x'.repeat(40 * 1024);
  return {
    name: 'big',
    file: 'scenarios/big.json',
    steps: [0, 1, 2, 3, 4, 5].map((i) => requestStep({ id: String(i), name: `big ${i}`, responseBody: `{"b":"${big}"}` })),
  };
}

describe('a report kept in memory (onReport)', () => {
  for (const [name, create] of Object.entries(reporters)) {
    it(`${name}: hands over the same bytes the file would hold, and writes no file`, async () => {
      for (const [index, plans] of [[passingPlan(), failuresPlan(), nestedPlan()], [bigPlan()]].entries()) {
        const events = sequentialRun(plans);
        const file = join(dir, `${name}-${index}`, 'report');
        await feed(create({ file, toolVersion: '1.2.3' }), events);
        const written = await readFile(file);
        const memoryFile = join(dir, `${name}-${index}-memory`, 'report');
        const taken: Buffer[] = [];
        await feed(create({ file: memoryFile, toolVersion: '1.2.3', onReport: (content) => taken.push(content) }), events);
        expect(taken).toHaveLength(1);
        // Times in the HTML page's footer may differ by a second between the two; everything else is the same.
        const text = (bytes: Buffer) => bytes.toString('utf8').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
        expect(text(taken[0]!)).toBe(text(written));
        expect(existsSync(memoryFile)).toBe(false);
        expect(existsSync(join(dir, `${name}-${index}-memory`))).toBe(false);
      }
    });
  }
});
