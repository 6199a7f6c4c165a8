/**
 * Ctrl-C / SIGTERM during a long SQL statement, through the real CLI as a child process against the
 * real PostgreSQL: the statement is cancelled on the server (the run waited for it, up to its 30 s
 * timeout, and the teardown behind it with it), the step says Interrupted, and the teardown runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, ROOT, shouldSkipService } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(ROOT, 'runner', 'dist', 'sortie.cjs');
const skip = await shouldSkipService('PostgreSQL', 5432);

describe.skipIf(skip)('SIGTERM during a PostgreSQL statement', () => {
  let server: FixtureServer;
  let work: string;
  beforeAll(async () => {
    ensureBuilt();
    server = await startFixtureServer();
    work = mkdtempSync(join(tmpdir(), 'probe-db-interrupt-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('cancels the statement, reports the step Interrupted and runs the teardown within the grace period', async () => {
    const key = `probe-db-interrupt-${process.pid}`;
    writeFileSync(
      join(work, 'env.json'),
      JSON.stringify({ name: 'pg', databases: { main: { type: 'postgres', url: 'postgres://postgres:pa%40ss@127.0.0.1:5432/test' } } }),
    );
    writeFileSync(
      join(work, 'long.json'),
      JSON.stringify({
        name: 'long statement',
        steps: [
          { name: 'warm up', db: { connection: 'main', sql: 'SELECT 1' } },
          { name: 'sleep', db: { connection: 'main', sql: 'SELECT pg_sleep(30)' } },
        ],
        teardown: [{ name: 'mark', request: { method: 'PUT', url: `${server.url}/marks/${key}` } }],
      }),
    );
    const child = spawn(process.execPath, [CLI, 'run', 'long.json', '-e', 'env.json'], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const warmedUp = new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('✓ warm up')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await warmedUp;
    await new Promise((resolve) => setTimeout(resolve, 300)); // pg_sleep(30) is running
    const sent = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(performance.now() - sent, 'waited for the statement').toBeLessThan(5_000);
    expect(code, stderr).toBe(1);
    expect(stdout).toContain(
      'Interrupted: the run was interrupted during this database operation, which was cancelled (connection "main", statement: SELECT pg_sleep(30))',
    );
    expect(stdout).toContain(`✓ teardown › mark`);
    expect(stdout).not.toContain('pa@ss');
    const marks = (await (await fetch(`${server.url}/marks`)).json()) as { marks: Record<string, number> };
    expect(marks.marks[key]).toBe(1);
  }, 20_000);
});
