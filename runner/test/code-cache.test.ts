/**
 * The built CLI's V8 code cache (runner/src/code-cache.ts), through the real CLI as a child
 * process against the fixture API: the first run writes the cache (owner-only), later runs use it and
 * print the same; other builds' folders go after a day; data V8 rejects is replaced, not fatal; a folder others can write to, and
 * SORTIE_CODE_CACHE=0, leave nothing behind.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: FixtureServer;
let work: string;
beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-code-cache-'));
  writeScenario();
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

function writeScenario(): void {
  writeFileSync(
    join(work, 'one.json'),
    JSON.stringify({
      name: 'one request',
      steps: [{ name: 'get', request: { url: '{{base}}/status/200' }, post: [{ assert: { status: { equals: 200 } } }] }],
    }),
  );
}

const run = (cache: string) =>
  runSortie(['run', join(work, 'one.json'), '--env-var', `base=${server.url}`, '-r', 'cli'], {
    cwd: work,
    env: { SORTIE_CODE_CACHE: cache },
  });

/** The cache files under a SORTIE_CODE_CACHE folder: code-cache/<node>-<arch>-<build>/<chunk>.bin. */
function cacheFiles(root: string): string[] {
  const base = join(root, 'code-cache');
  if (!existsSync(base)) return [];
  return readdirSync(base).flatMap((folder) => readdirSync(join(base, folder)).map((name) => join(base, folder, name)));
}

describe('the code cache (every Node version: the package ships only the CommonJS copies)', () => {
  it('is written by the first run, used by the next, and changes nothing the user sees', async () => {
    const cache = join(work, 'cache-a');
    const first = await run(cache);
    expect(first.code).toBe(0);
    const files = cacheFiles(cache);
    // The CLI's chunk and the run's chunks, nothing half-written.
    expect(files.some((file) => /[\\/]cli-[A-Z0-9]+\.bin$/.test(file))).toBe(true);
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    const [folder] = readdirSync(join(cache, 'code-cache'));
    expect(folder).toBe(
      `${process.version}-${process.arch}-${JSON.parse(readFileSync(join(ROOT, 'runner/dist/cjs/manifest.json'), 'utf8')).build}`,
    );
    if (process.platform !== 'win32') {
      expect(statSync(join(cache, 'code-cache', folder!)).mode & 0o777).toBe(0o700);
      for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const written = new Map(files.map((file) => [file, statSync(file).mtimeMs]));

    const second = await run(cache);
    expect(second.code).toBe(0);
    expect(normaliseText(second.stdout, 'any')).toBe(normaliseText(first.stdout, 'any'));
    expect(second.stderr).toBe(first.stderr);
    // Accepted by V8, so not written again.
    for (const [file, mtime] of written) expect(statSync(file).mtimeMs).toBe(mtime);
  });

  it('written by a process that ran no scenario, is partial, and the first run of scenarios writes it whole', async () => {
    const cache = join(work, 'cache-g');
    const validate = await runSortie(['validate', join(work, 'one.json')], { cwd: work, env: { SORTIE_CODE_CACHE: cache } });
    expect(validate.code, validate.stderr).toBe(0);
    const partial = cacheFiles(cache);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((file) => file.endsWith('.partial.bin'))).toBe(true);
    // A run stopped by a usage error ran nothing either: the partial caches stay as they are.
    const written = new Map(partial.map((file) => [file, statSync(file).mtimeMs]));
    expect((await runSortie(['run', join(work, 'missing.json')], { cwd: work, env: { SORTIE_CODE_CACHE: cache } })).code).toBe(2);
    for (const [file, mtime] of written) expect(statSync(file).mtimeMs, file).toBe(mtime);

    expect((await run(cache)).code).toBe(0);
    const whole = cacheFiles(cache);
    // The chunks the validation loaded that the run loaded too (the CLI's among them) now hold a run's
    // code, under the whole name; the validation's own command chunk stays partial.
    const replaced = partial.filter((file) => !existsSync(file));
    expect(replaced.some((file) => /[\\/]cli-[A-Z0-9]+\.partial\.bin$/.test(file))).toBe(true);
    for (const file of replaced) expect(existsSync(file.replace(/\.partial\.bin$/, '.bin')), file).toBe(true);
    expect(whole.filter((file) => file.endsWith('.partial.bin')).length).toBeLessThan(partial.length);
    const final = new Map(whole.map((file) => [file, statSync(file).mtimeMs]));
    expect((await run(cache)).code).toBe(0);
    for (const [file, mtime] of final) expect(statSync(file).mtimeMs, file).toBe(mtime);
  });

  it("removes other builds' folders that were not written to for a day", async () => {
    const cache = join(work, 'cache-e');
    const old = join(cache, 'code-cache', 'v20.0.0-x64-0000000000000000');
    const recent = join(cache, 'code-cache', 'v20.0.0-x64-1111111111111111');
    for (const folder of [old, recent]) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(join(folder, 'cli-OLD.bin'), 'x');
    }
    chmodSync(cache, 0o700);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    expect((await run(cache)).code).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(join(recent, 'cli-OLD.bin'))).toBe(true);
    expect(readdirSync(join(cache, 'code-cache'))).toHaveLength(2);
  });

  it('written by a long run (young generation capped, tier-up budget cut: V8 flags changed) is used by the next run', async () => {
    const cache = join(work, 'cache-f');
    const steps = Array.from({ length: 2000 }, (_, i) => ({ name: `get ${i}`, request: { url: `{{base}}/status/200?n=${i}` } }));
    writeFileSync(join(work, 'long.json'), JSON.stringify({ name: 'long', options: { onError: 'continue' }, steps }));
    const long = await runSortie(
      ['run', join(work, 'long.json'), '--env-var', `base=${server.url}`, '-r', 'json', '--out-dir', join(work, 'long')],
      {
        cwd: work,
        env: { SORTIE_CODE_CACHE: cache },
      },
    );
    expect(long.code, long.stderr).toBe(0);
    const written = new Map(cacheFiles(cache).map((file) => [file, statSync(file).mtimeMs]));
    expect(written.size).toBeGreaterThan(5);
    expect((await run(cache)).code).toBe(0);
    // Accepted by V8 (the flags it was written with are the ones a start has), so not written again.
    for (const [file, mtime] of written) expect(statSync(file).mtimeMs, file).toBe(mtime);
  }, 120_000);

  it('replaces data V8 rejects and runs as without a cache', async () => {
    const cache = join(work, 'cache-b');
    expect((await run(cache)).code).toBe(0);
    const cli = cacheFiles(cache).find((file) => /[\\/]cli-[A-Z0-9]+\.bin$/.test(file))!;
    const garbage = Buffer.alloc(4096, 0x5a);
    writeFileSync(cli, garbage);
    const again = await run(cache);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('PASSED');
    expect(readFileSync(cli).equals(garbage)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('does not use a folder others can write to', async () => {
    const cache = join(work, 'cache-c');
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const result = await run(cache);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PASSED');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('is off with SORTIE_CODE_CACHE=0', async () => {
    const before = readdirSync(work).sort();
    const result = await run('0');
    expect(result.code).toBe(0);
    expect(readdirSync(work).sort()).toEqual(before);
  });
});
