/**
 * makeDirectory / makeDirectorySync: `mkdir -p` that fails where Node's `{ recursive: true }` spins
 * for ever (mkdir answering ENOENT under a parent that exists, as in /proc), and otherwise makes what
 * is missing, accepts what exists, and refuses a path through or onto a file.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirectory, makeDirectorySync } from '../src/make-directory.js';

const work = mkdtempSync(join(tmpdir(), 'sortie-mkdir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hasProc = existsSync('/proc/self');

describe.each([
  ['makeDirectory', (path: string, mode?: number) => makeDirectory(path, mode)],
  ['makeDirectorySync', async (path: string, mode?: number) => makeDirectorySync(path, mode)],
])('%s', (name, make) => {
  it('makes every missing folder, with the mode given', async () => {
    const deep = join(work, name, 'a', 'b', 'c');
    await make(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(join(work, name, 'a')).mode & 0o777).toBe(0o700 & ~process.umask());
    await make(deep); // there already: fine
  });

  it('refuses a path through a file, or onto one', async () => {
    const file = join(work, `${name}-file`);
    writeFileSync(file, 'x');
    await expect(make(join(file, 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(make(file)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it.skipIf(!hasProc)('fails at once in /proc, where Node’s own recursive mkdir loops for ever', async () => {
    const started = Date.now();
    await expect(make('/proc/sortie-no-such/inner')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('makes the same folders from many callers at once', async () => {
    const target = join(work, `${name}-race`, 'x', 'y');
    await Promise.all(Array.from({ length: 8 }, () => make(target)));
    expect(statSync(target).isDirectory()).toBe(true);
  });
});
