/**
 * Response size cap (`maxResponseBytes`): decompression bombs from a real server end their step with
 * a clear error, and the sortie process's memory stays bounded (a 1 GiB gzip bomb reached 2.2 GB of
 * RSS before the cap). The peak RSS is read from the process itself at exit (bench/peak-rss.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { CLI, ensureBuilt, expectGolden, normaliseText, ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MIB = 1024 * 1024;
/** What the process may use beyond the cap: Node, the run, the compressed body. */
const OVERHEAD = 250 * MIB;

let fixtures: FixtureServer;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  fixtures = await startFixtureServer();
  dir = mkdtempSync(join(tmpdir(), 'sortie-response-size-'));
});

afterAll(() => {
  fixtures?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  peakRss: number;
}

/** Runs `sortie run <scenario>` with the peak-RSS probe preloaded. */
async function runScenario(name: string, scenario: unknown, extra: string[] = []): Promise<Outcome> {
  const file = join(dir, `${name}.json`);
  const rssFile = join(dir, `${name}.rss`);
  writeFileSync(file, JSON.stringify(scenario));
  const child = spawn(
    process.execPath,
    ['--import', join(ROOT, 'bench/peak-rss.mjs'), CLI, 'run', file, '--env-var', `base=${fixtures.url}`, ...extra],
    {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', SORTIE_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr, peakRss: Number(readFileSync(rssFile, 'utf8')) };
}

const golden = (name: string) => join(ROOT, 'runner', 'test', 'golden', name);

describe('maxResponseBytes', () => {
  it('ends a 1 GiB gzip bomb at the default 100 MiB with a clear error, memory bounded, and goes on', async () => {
    const outcome = await runScenario('gzip-bomb', {
      name: 'Decompression bombs',
      options: { onError: 'continue' },
      steps: [
        { name: '1 GiB of zeros in 1 MB of gzip', request: { url: '{{base}}/bomb?coding=gzip&mib=1024' } },
        { name: 'an ordinary gzip body still decodes', request: { url: '{{base}}/gzip' }, post: [{ assert: { status: { equals: 200 } } }] },
      ],
    });
    expect(outcome.code, outcome.stderr).toBe(1);
    expectGolden(golden('gzip-bomb.out'), normaliseText(outcome.stdout, fixtures.port));
    expect(outcome.stderr).toBe('');
    expect(outcome.peakRss).toBeLessThan(100 * MIB + OVERHEAD);
  }, 60_000);

  it('is set per step, per scenario and per run, as received and once decompressed', async () => {
    const outcome = await runScenario(
      'limits',
      {
        name: 'Response size limits',
        options: { onError: 'continue', maxResponseBytes: 8 * MIB },
        steps: [
          { name: 'brotli bomb past the scenario limit', request: { url: '{{base}}/bomb?coding=br&mib=16' } },
          { name: 'a step allows more', request: { url: '{{base}}/bomb?coding=br&mib=16', maxResponseBytes: 16 * MIB } },
          {
            name: 'a plain body past a step limit',
            request: { url: '{{base}}/echo?pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', maxResponseBytes: 100 },
          },
        ],
      },
      ['--max-response-bytes', '1000'],
    );
    expect(outcome.code, outcome.stderr).toBe(1);
    expectGolden(golden('response-limits.out'), normaliseText(outcome.stdout, fixtures.port));
    // The run's --max-response-bytes applies where the scenario says nothing.
    const runLimit = await runScenario('run-limit', { name: 'Run limit', steps: [{ name: 'gzip', request: { url: '{{base}}/gzip' } }] }, [
      '--max-response-bytes',
      '200',
    ]);
    expect(runLimit.code).toBe(1);
    expect(runLimit.stdout).toContain('Response too large: the gzip body decompresses to more than 200 bytes (maxResponseBytes)');
  }, 60_000);

  it('refuses a --max-response-bytes that is not a positive whole number (exit 2)', async () => {
    const outcome = await runScenario('bad-flag', { name: 'x', steps: [] }, ['--max-response-bytes', '-5']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--max-response-bytes');
  });
});
