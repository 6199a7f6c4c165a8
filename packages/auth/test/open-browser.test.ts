import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, selectBrowserCommand } from '../src/index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-browser-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openBrowser', () => {
  it('picks $BROWSER, else the platform opener', () => {
    const url = 'http://127.0.0.1:1/a?b=1&c=2';
    expect(selectBrowserCommand(url, { env: { BROWSER: 'firefox' }, platform: 'linux' })).toEqual(['firefox', [url]]);
    expect(selectBrowserCommand(url, { env: {}, platform: 'linux' })).toEqual(['xdg-open', [url]]);
    expect(selectBrowserCommand(url, { env: {}, platform: 'darwin' })).toEqual(['open', [url]]);
    expect(selectBrowserCommand(url, { env: {}, platform: 'win32' })).toEqual([
      'cmd',
      ['/c', 'start', '""', 'http://127.0.0.1:1/a?b=1^&c=2'],
    ]);
  });

  it('starts the browser command with the URL', async () => {
    const received = join(dir, 'url.txt');
    const script = join(dir, 'fake-browser.sh');
    await writeFile(script, `#!/bin/sh\nprintf '%s' "$1" > '${received}'\n`);
    await chmod(script, 0o755);
    await openBrowser('http://127.0.0.1:9/cb?x=1', { env: { BROWSER: script } });
    await expect.poll(() => readFile(received, 'utf8').catch(() => '')).toBe('http://127.0.0.1:9/cb?x=1');
  });

  it('fails with a hint to use --no-browser when the command does not exist', async () => {
    await expect(openBrowser('http://x', { env: { BROWSER: join(dir, 'no-such-browser') } })).rejects.toMatchObject({
      code: 'SORTIE_USAGE',
      hint: 'use --no-browser and open the printed URL yourself',
    });
  });
});
