/**
 * The built CLI's changes to undici (runner/build.mjs, lazyUndiciModules): node:http and node:assert
 * are not loaded by a run that does not need them. The HTTP client sets its own response header limit
 * (300 KiB, as curl: @sortie/http's limits.ts), so Node's 16 KiB default and --max-http-header-size no
 * longer decide what a run can read.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ensureBuilt } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: Server;
let base: string;
let dir: string;

/** A header of 20,000 bytes: over Node's default limit (16 KiB), under the client's 300 KiB. */
const BIG_HEADER = 'x'.repeat(20_000);
/** A header past the client's limit. */
const HUGE_HEADER = 'x'.repeat(310 * 1024);

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sortie-bundle-undici-'));
  server = createServer((request, response) => {
    if (request.url === '/big') response.setHeader('x-big', BIG_HEADER);
    if (request.url === '/huge') response.setHeader('x-big', HUGE_HEADER);
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  });
  // This server must answer headers larger than its own default limit lets it read; it only writes them.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    join(dir, 'big.json'),
    JSON.stringify({
      name: 'big header',
      steps: [{ name: 'big', request: { url: '{{base}}/big' }, post: [{ assert: { status: { equals: 200 } } }] }],
    }),
  );
  writeFileSync(
    join(dir, 'huge.json'),
    JSON.stringify({ name: 'huge header', steps: [{ name: 'huge', request: { url: '{{base}}/huge' } }] }),
  );
  writeFileSync(
    join(dir, 'small.json'),
    JSON.stringify({
      name: 'small',
      steps: [{ name: 'small', request: { url: '{{base}}/small' }, post: [{ assert: { status: { equals: 200 } } }] }],
    }),
  );
  writeFileSync(
    join(dir, 'modules.cjs'),
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));\n",
  );
});

afterAll(() => {
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function run(nodeArgs: string[], file: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string }> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'run', join(dir, file), '--env-var', `base=${base}`, '-r', 'cli'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.resume();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout })));
}

describe('the bundled undici', () => {
  it('uses the default header limit Node has (16 KiB), which the bundle assumes when no flag changes it', () => {
    const out = spawnSync(process.execPath, ['-p', "require('node:http').maxHeaderSize"], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(out.stdout.trim()).toBe('16384');
  });

  it('reads a 20,000-byte response header without any flag (Node alone stops at 16 KiB; curl reads it)', async () => {
    const result = await run([], 'big.json');
    expect(result.stdout).toContain('PASSED');
    expect(result.code).toBe(0);
  });

  it('refuses a header section past 300 KiB with an error that says so, whatever --max-http-header-size says', async () => {
    for (const result of [await run([], 'huge.json'), await run(['--max-http-header-size=1048576'], 'huge.json')]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        `Response headers too large: the response headers from ${base.slice('http://'.length)} are larger than 300 KiB`,
      );
    }
  });

  it('loads neither node:http nor node:assert for a plain request', async () => {
    const out = join(dir, 'modules.txt');
    const result = await run(['--require', join(dir, 'modules.cjs')], 'small.json', { MODULES_OUT: out });
    expect(result.code).toBe(0);
    const modules = readFileSync(out, 'utf8').split('\n');
    expect(modules).toContain('NativeModule net');
    expect(modules).not.toContain('NativeModule http');
    expect(modules).not.toContain('NativeModule assert');
    expect(modules).not.toContain('NativeModule zlib');
  });
});
