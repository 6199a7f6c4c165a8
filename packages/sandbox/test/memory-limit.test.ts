/**
 * The memory limit holds for the whole process: scripts that allocate without end stop at the
 * memory-limit error, promptly, and the process's peak RSS stays within the limit plus a fixed
 * overhead. Measured in a child process (RSS is per process).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const child = fileURLToPath(new URL('./support/memory-bomb.ts', import.meta.url));
const MiB = 1024 * 1024;

interface BombReport {
  runs: Array<{ title: string | undefined; ms: number }>;
  rssBefore: number;
  peakRss: number;
  memoryLimit: number;
  usableAfter: boolean;
}

async function bomb(...scripts: string[]): Promise<BombReport> {
  const { stdout } = await run(tsx, [child, ...scripts], { timeout: 60_000, maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as BombReport;
}

describe('memory limit', () => {
  it('stops arrays, buffers, objects and strings at the memory limit, with the process RSS within the limit plus a fixed overhead', async () => {
    const report = await bomb(
      `const keep = []; for (let i = 0; ; i++) keep.push(new Array(1e5).fill(i));`,
      `const keep = []; for (let i = 0; i < 1000; i++) keep.push(new ArrayBuffer(16 * 1024 * 1024));`,
      `const keep = []; for (let i = 0; ; i++) keep.push({ i, s: 'abc' + i });`,
      `const keep = []; for (let i = 0; i < 1e6; i++) keep.push('x'.repeat(1e5) + i);`,
    );
    expect(report.runs.map((r) => r.title)).toEqual(Array(4).fill('Script memory limit exceeded'));
    // The sandbox's heap is at most the limit plus its 64 MiB reserve (16 MiB of it in use before);
    // 64 MiB more covers the host's side (V8's garbage and the outcomes, more on a loaded machine).
    // Before the heap was bounded, the same scripts took the process past 2 GB.
    expect(report.peakRss - report.rssBefore).toBeLessThan(report.memoryLimit + 128 * MiB);
    // Promptly: far from the 20 s time limit (each takes well under a second on a quiet machine).
    for (const r of report.runs) expect(r.ms).toBeLessThan(10_000);
    expect(report.usableAfter).toBe(true);
  }, 90_000);
});
