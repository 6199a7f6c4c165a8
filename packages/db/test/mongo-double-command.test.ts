/** `pnpm mongo-double` starts the MongoDB test double as its own process; the real driver talks to it. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DbConnections } from '../src/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the MongoDB test double command', () => {
  it('prints its URL, serves mongo operations, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'fixtures/bin/mongo-double.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before printing its URL`)));
      });
      const url = /(mongodb:\/\/127\.0\.0\.1:\d+\/)/.exec(line)?.[1];
      expect(line).toMatch(/^MongoDB test double \(in memory, not MongoDB\) on mongodb:\/\/127\.0\.0\.1:\d+\/\n$/);
      const db = new DbConnections({ m: { type: 'mongodb', url: `${url}try` } });
      await db.execute({ connection: 'm', mongo: { collection: 'people', op: 'insertOne', document: { name: 'Ada' } } });
      const found = await db.execute({
        connection: 'm',
        mongo: { collection: 'people', op: 'find', filter: {}, options: { projection: { _id: 0 } } },
      });
      expect(found.rows).toEqual([{ name: 'Ada' }]);
      await db.close();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30_000);
});
