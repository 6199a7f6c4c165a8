/**
 * A process warning a dependency emits in the middle of a run is one line of the CLI's on stderr: pg's
 * connection-string parser warns about `sslmode=require` in nine lines, with Node's pid and its
 * `--trace-warnings` advice, between the scenario's header and its steps. NODE_NO_WARNINGS=1 keeps
 * warnings off, as it does for Node. Real CLI, real PostgreSQL (which takes no TLS here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie, shouldSkipService } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const skip = await shouldSkipService('PostgreSQL', 5432);

describe.skipIf(skip)('process warnings of dependencies', () => {
  let work: string;
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'sortie-warnings-'));
    writeFileSync(
      join(work, 'env.json'),
      JSON.stringify({
        name: 'pg',
        databases: { main: { type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test?sslmode=require' } },
      }),
    );
    writeFileSync(
      join(work, 'q.json'),
      JSON.stringify({ name: 'q', steps: [{ name: 'one', db: { connection: 'main', sql: 'SELECT 1' } }] }),
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("prints pg's sslmode warning as one line", async () => {
    const { code, stdout, stderr } = await runSortie(['run', 'q.json', '-e', 'env.json'], { cwd: work });
    expect(code, stdout + stderr).toBe(1);
    expect(stderr).toBe(
      "warning: SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.\n",
    );
    expect(stdout).toContain('Database connection failed');
  });

  it('prints none with NODE_NO_WARNINGS=1', async () => {
    const { code, stdout, stderr } = await runSortie(['run', 'q.json', '-e', 'env.json'], { cwd: work, env: { NODE_NO_WARNINGS: '1' } });
    expect(code, stdout + stderr).toBe(1);
    expect(stderr).toBe('');
  });
});
