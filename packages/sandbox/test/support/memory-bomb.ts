/**
 * Child process of memory-limit.test.ts: runs each script given as an argument in one sandbox
 * (32 MiB memory limit) and prints one JSON line: each outcome's error title and time, the RSS
 * before the first script and the process's peak RSS (maxRSS) at the end.
 */
import { createSandbox } from '../../src/index.js';
import { fakeContext } from '../fakes.js';

const MEMORY_LIMIT = 32 * 1024 * 1024;
const sandbox = await createSandbox({ memoryLimitBytes: MEMORY_LIMIT, timeLimitMs: 20_000 });
// Warm: the kernel and a first run, so the baseline includes what every sandbox has.
await sandbox.run(`pm.test('warm', () => {});`, fakeContext());
const rssBefore = process.memoryUsage().rss;
const runs: Array<{ title: string | undefined; ms: number }> = [];
for (const script of process.argv.slice(2)) {
  const started = Date.now();
  const outcome = await sandbox.run(script, fakeContext());
  runs.push({ title: outcome.error?.title, ms: Date.now() - started });
}
const after = await sandbox.run(`const a = []; for (let i = 0; i < 1000; i++) a.push({ i }); pm.test('usable', () => {});`, fakeContext());
sandbox.dispose();
const peakRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ runs, rssBefore, peakRss, memoryLimit: MEMORY_LIMIT, usableAfter: after.error === undefined }));
