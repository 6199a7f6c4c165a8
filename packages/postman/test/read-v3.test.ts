/**
 * The Collection v3 reader on folders written in the test: what the documentation leaves to the
 * reader (order ties, folders that only hold files), and what it refuses with a place (a symbolic
 * link or a path leaving the folder, a definition of the wrong kind), as the collection object the
 * converter then runs.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSortieError } from '@sortie/core';
import { afterAll, describe, expect, it } from 'vitest';
import { isV3CollectionDir } from '../src/detect.js';
import { readV3Collection } from '../src/read-v3.js';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A folder with these files (path → text). */
function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sortie-v3-'));
  temp.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const request = (extra = '') => `$kind: http-request\nmethod: GET\nurl: 'http://127.0.0.1/x'\n${extra}`;

async function refusal(root: string): Promise<{ message: string; location: unknown }> {
  try {
    await readV3Collection(root, 'col');
  } catch (error) {
    if (!isSortieError(error)) throw error;
    return { message: error.message, location: error.location };
  }
  throw new Error('the folder was accepted');
}

describe('readV3Collection', () => {
  it('orders siblings by order, those without one after them by name; a folder holding only files is not a folder', async () => {
    const root = folder({
      'b.request.yaml': request(),
      'a.request.yaml': request(),
      'late.request.yaml': request('order: 5000\n'),
      'early.request.yaml': request('order: 10\n'),
      'Folder/.resources/definition.yaml': '$kind: collection\nname: Named folder\norder: 20\n',
      'Folder/inner.request.yaml': request(),
      'assets/data.bin': 'bytes',
    });
    const { collection } = await readV3Collection(root, 'col');
    expect(collection.info.name).toBe('col');
    expect(collection.item?.map((item) => item.name)).toEqual(['early', 'Named folder', 'late', 'a', 'b']);
    expect(collection.item?.[1]?.item?.map((item) => item.name)).toEqual(['inner']);
  });

  it('reads auth credentials as a map or a list, keeping non-string values', async () => {
    const root = folder({
      '.resources/definition.yaml':
        "$kind: collection\nauth:\n  type: jwt\n  credentials:\n    isSecretBase64Encoded: false\n    secret: 's'\n",
      'r.request.yaml': request('auth:\n  type: basic\n  credentials:\n    - key: username\n      value: ann\n'),
    });
    const { collection } = await readV3Collection(root, 'col');
    expect(collection.auth).toEqual({
      type: 'jwt',
      jwt: [
        { key: 'isSecretBase64Encoded', value: false },
        { key: 'secret', value: 's' },
      ],
    });
    const item = collection.item?.[0];
    expect(typeof item?.request === 'object' ? item.request.auth : undefined).toEqual({
      type: 'basic',
      basic: [{ key: 'username', value: 'ann' }],
    });
  });

  it('refuses a path that leaves the folder, with its line and column', async () => {
    const root = folder({ 'up.request.yaml': request("examples: '../elsewhere'\n") });
    const { message, location } = await refusal(root);
    expect(message).toContain('leaves the collection');
    expect(location).toEqual({ file: 'col/up.request.yaml', line: 4, column: 11, path: '$.examples' });
  });

  it('refuses a symbolic link leading outside the folder', async () => {
    const outside = folder({ 'x.request.yaml': request() });
    const root = folder({ 'a.request.yaml': request() });
    symlinkSync(outside, join(root, 'linked'));
    const { message } = await refusal(root);
    expect(message).toContain('col/linked leads outside the collection');
  });

  it('refuses a definition whose $kind is not collection', async () => {
    const root = folder({ '.resources/definition.yaml': '$kind: folder\n', 'a.request.yaml': request() });
    const { message, location } = await refusal(root);
    expect(message).toContain('"$kind" of a definition file must be "collection", got "folder"');
    expect(location).toMatchObject({ file: 'col/.resources/definition.yaml', line: 1, column: 8 });
  });

  it('is told apart by its layout', async () => {
    expect(await isV3CollectionDir(folder({ 'Deep/a.request.yaml': request() }), { deep: false })).toBe(false);
    expect(await isV3CollectionDir(folder({ 'Deep/a.request.yaml': request() }))).toBe(true);
    expect(await isV3CollectionDir(folder({ '.resources/definition.yaml': '$kind: collection\n' }), { deep: false })).toBe(true);
    expect(await isV3CollectionDir(folder({ 'scenario.yaml': 'steps: []\n' }))).toBe(false);
  });
});
