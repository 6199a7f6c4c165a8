/**
 * Whole-number flags take plain decimal digits only: "1e2", "0x10", "1.0", "+3" and " 3" are refused
 * with exit code 2 and the flag named, in sortie run, agent and server alike (Number() took them all,
 * so `-n 1e2` ran 100 iterations). The flag is named as the user wrote it (`-n`, not `--iterations`).
 * The messages a user reads are compared with one golden file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, runSortie } from '@sortie/testkit';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';

const golden = goldenIn(join(import.meta.dirname, 'golden', 'flags'));
const REDIS = ['--redis', 'redis://127.0.0.1:1'];

beforeAll(() => ensureBuilt());

const CASES: [string, string[]][] = [
  ['-n 1e2', ['run', 'x.json', '-n', '1e2']],
  ['-n abc', ['run', 'x.json', '-n', 'abc']],
  ['-nabc', ['run', 'x.json', '-nabc']],
  ['--iteration-count 0', ['run', 'x.json', '--iteration-count', '0']],
  ['--iterations 0x10', ['run', 'x.json', '--iterations', '0x10']],
  ['--parallel 2.0', ['run', 'x.json', '--parallel', '2.0']],
  ['--delay-request 1e2', ['run', 'x.json', '--delay-request', '1e2']],
  ['--timeout +500', ['run', 'x.json', '--timeout', '+500']],
  ['--timeout-request 1e3', ['run', 'x.json', '--timeout-request', '1e3']],
  ['--timeout-run 0b11', ['run', 'x.json', '--timeout-run', '0b11']],
  ['--timeout-script " 100"', ['run', 'x.json', '--timeout-script', ' 100']],
  ['--retry 1e1', ['run', 'x.json', '--retry', '1e1']],
  ['--retry-failed 1e0', ['run', 'x.json', '--retry-failed', '1e0']],
  ['--seed 4.0', ['run', 'x.json', '--seed', '4.0']],
  // Digits beyond 2^53 - 1: "expects a whole number" of a whole number; the limit is named.
  ['--seed 99999999999999999999', ['run', 'x.json', '--seed', '99999999999999999999']],
  ['-n 99999999999999999999', ['run', 'x.json', '-n', '99999999999999999999']],
  ['--teardown-grace 1e3', ['run', 'x.json', '--teardown-grace', '1e3']],
  ['--max-response-bytes 1e6', ['run', 'x.json', '--max-response-bytes', '1e6']],
  ['--shards 0x2', ['run', 'x.json', '--remote', 'http://127.0.0.1:1', '--shards', '0x2']],
  ['agent --concurrency 1e1', ['agent', ...REDIS, '--concurrency', '1e1']],
  ['agent --retries 0x1', ['agent', ...REDIS, '--retries', '0x1']],
  ['agent --grace 3e4', ['agent', ...REDIS, '--grace', '3e4']],
  ['agent --lock-duration 0x7530', ['agent', ...REDIS, '--lock-duration', '0x7530']],
  // More than a Node timer holds: it fired after 1 ms, and SIGTERM interrupted the runs in hand at once.
  ['agent --grace 2147483648', ['agent', ...REDIS, '--grace', '2147483648']],
  ['agent --lock-duration 2147483648', ['agent', ...REDIS, '--lock-duration', '2147483648']],
  ['server --port 8e3', ['server', ...REDIS, '--port', '8e3']],
  ['server --retention-days 1e1', ['server', ...REDIS, '--retention-days', '1e1']],
  ['server --retention-days 1.5', ['server', ...REDIS, '--retention-days', '1.5']],
  ['server --retention-days ""', ['server', ...REDIS, '--retention-days', '']],
  ['schedule create --every " 15m"', ['server', 'schedule', 'create', '--name', 'n', '--every', ' 15m', 'x.json']],
];

describe('whole-number flags', () => {
  it('refuse every spelling but decimal digits, naming the flag (exit 2)', async () => {
    const transcript: string[] = [];
    for (const [label, args] of CASES) {
      const result = await runSortie(args);
      expect(result.code, `${label}: ${result.stderr}`).toBe(2);
      expect(result.stdout, label).toBe('');
      transcript.push(`$ sortie ${args.join(' ')}\n${result.stderr}`);
    }
    golden('whole-number-flags.err', transcript.join('\n'));
  });

  it('still take decimal digits, leading zeros included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sortie-whole-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 's.yaml'), 'name: s\nsteps:\n  - name: a\n    script: "pm.variables.set(\'x\', 1)"\n');
    const result = await runSortie(['run', join(dir, 's.yaml'), '-n', '002', '--seed', '0', '--delay-request', '0']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\[iteration 1\]/);
    expect(result.stdout).not.toMatch(/\[iteration 2\]/);
  });
});
