/**
 * `readingOnlyUnder`: reads under it are confined to a folder (the server loading an uploaded bundle),
 * by name before anything is opened and through symbolic links, in every async step below it.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertRegularFile, fileReadReason, readingOnlyUnder, readRegularFile } from '../src/index.js';

const base = mkdtempSync(join(tmpdir(), 'sortie-confined-'));
const root = join(base, 'bundle');
mkdirSync(root);
const outside = join(base, 'server-file.json');
writeFileSync(outside, '{"secret":"hunter2"}');
// Beside the folder, with a name that starts like it.
const besideWithSameStart = join(base, 'bundle-inside.json');
writeFileSync(besideWithSameStart, '{}');

afterAll(() => rmSync(base, { recursive: true, force: true }));

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as NodeJS.ErrnoException,
  );

describe('readingOnlyUnder', () => {
  it('reads files inside the folder, and refuses one outside by name before opening it', async () => {
    writeFileSync(join(root, 'a.json'), '{"ok":true}');
    await readingOnlyUnder(root, 'the bundle', async () => {
      expect(await readRegularFile(join(root, 'a.json'), 'utf8')).toBe('{"ok":true}');
      // "bundle-inside.json" starts with the folder's name but is beside it, not in it.
      for (const path of [outside, besideWithSameStart, join(root, '..', 'server-file.json'), '/etc/hostname', '/dev/zero']) {
        const error = await rejection(readRegularFile(path));
        expect(error, path).toMatchObject({ code: 'EOUTSIDE', message: 'it is outside the bundle' });
        expect(fileReadReason(error)).toBe('it is outside the bundle');
      }
      // A missing file outside says the same as an existing one: nothing about the server's disk.
      expect(await rejection(assertRegularFile(join(base, 'not-here.json')))).toMatchObject({ code: 'EOUTSIDE' });
    });
  });

  it('refuses a link inside the folder that leads outside it, and keeps ENOENT for a missing file inside', async () => {
    symlinkSync(outside, join(root, 'link.json'));
    await readingOnlyUnder(root, 'the bundle', async () => {
      expect(await rejection(readRegularFile(join(root, 'link.json')))).toMatchObject({ code: 'EOUTSIDE' });
      expect(await rejection(readRegularFile(join(root, 'missing.json')))).toMatchObject({ code: 'ENOENT' });
    });
  });

  it('holds through awaits, timers and nested calls, and ends with the call', async () => {
    await readingOnlyUnder(root, 'the bundle', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const nested = await Promise.all([
        rejection(readRegularFile(outside)),
        Promise.resolve().then(() => rejection(readRegularFile(outside))),
      ]);
      expect(nested.map((error) => error?.code)).toEqual(['EOUTSIDE', 'EOUTSIDE']);
    });
    expect(await readRegularFile(outside, 'utf8')).toContain('hunter2');
  });
});

describe('readingOnlyUnder, concurrent', () => {
  it('keeps each load confined while another one ends first, and leaves nothing confined after the last', async () => {
    let releaseSlow: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const slow = readingOnlyUnder(root, 'the bundle', async () => {
      await slowGate;
      return rejection(readRegularFile(outside));
    });
    const fast = readingOnlyUnder(root, 'the bundle', async () => rejection(readRegularFile(outside)));
    expect((await fast)?.code).toBe('EOUTSIDE');
    releaseSlow();
    expect((await slow)?.code).toBe('EOUTSIDE');
    expect(await readRegularFile(outside, 'utf8')).toContain('hunter2');
  });
});
