/**
 * The server's plan loader over an unpacked bundle: `--folder` and `--working-dir` of the manifest
 * select and convert as `sortie run` does; a plan that would send a file from outside the bundle (a
 * body file, even one missing here, which an agent would read from its own disk) or a working folder
 * outside it is refused.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundlePlan } from '../src/load-bundle-plan.js';

let dir: string;

const request = (name: string, body: Record<string, unknown>) => ({ name, request: { method: 'POST', url: 'http://127.0.0.1:1/x', body } });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-bundle-plan-'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data', 'upload.txt'), 'upload');
  await writeFile(
    join(dir, 'ok.json'),
    JSON.stringify({ name: 'ok', steps: [request('send', { file: 'data/upload.txt' }), request('other', { text: 'x' })] }),
  );
  await writeFile(join(dir, 'escapes.json'), JSON.stringify({ name: 'escapes', steps: [request('leak', { file: '../../etc/not-here' })] }));
  await writeFile(
    join(dir, 'escapes-multipart.json'),
    JSON.stringify({ name: 'escapes', steps: [request('leak', { multipart: [{ name: 'f', file: '/etc/hostname' }] })] }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadBundlePlan', () => {
  it('selects the steps --folder names and carries the body files they send', async () => {
    const plan = await loadBundlePlan(dir, { version: 1, files: ['ok.json'], folders: ['send'] });
    expect(plan.scenarios[0]?.value.steps.map((step) => ('name' in step ? step.name : undefined))).toEqual(['send']);
    expect(Object.keys(plan.files)).toEqual(['data/upload.txt']);
  });

  it.each([
    ['escapes.json', '../../etc/not-here'],
    ['escapes-multipart.json', '/etc/hostname'],
  ])('refuses %s, whose body file is outside the bundle', async (file, outside) => {
    await expect(loadBundlePlan(dir, { version: 1, files: [file] })).rejects.toMatchObject({
      title: 'Invalid bundle',
      message: `the plan reads files outside the bundle: ${outside}`,
    });
  });

  it('refuses a working folder outside the bundle', async () => {
    await expect(loadBundlePlan(dir, { version: 1, files: ['ok.json'], workingDir: 'data/../..' })).rejects.toMatchObject({
      title: 'Invalid bundle',
      message: 'the working folder data/../.. is outside the bundle',
    });
  });
});
