import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from '../../../fixtures/src/oauth/index.js';
import { TokenCache } from '../src/index.js';
import { createHarness } from './harness.js';
import { createOAuth2Profile } from './profiles.js';

let dir: string;
let server: ScriptedServer;
let issued = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-cache-'));
  server = await startScriptedServer(() => {
    issued++;
    return {
      body: {
        access_token: `cached-access-${issued}-abcdef`,
        refresh_token: `cached-refresh-${issued}-abcdef`,
        expires_in: 3600,
        scope: 'read',
      },
    };
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function createProfile(cache?: boolean) {
  return createOAuth2Profile({
    grant: 'client_credentials',
    tokenUrl: `${server.url}/token`,
    clientId: 'c',
    clientSecret: 'client-secret-cache',
    ...(cache === undefined ? {} : { cache }),
  });
}

async function applyWith(harness: ReturnType<typeof createHarness>, profile: ReturnType<typeof createProfile>) {
  return harness.manager.apply('svc', profile, {
    method: 'GET',
    url: server.url,
    headers: [],
    timeout: 1000,
    followRedirects: false,
    maxRedirects: 0,
  });
}

describe('token cache', () => {
  it('persists tokens encrypted in a 0600 file and reuses them in the next run', async () => {
    const file = join(dir, 'a', 'tokens.json');
    const first = createHarness({ tokenCache: { file, key: 'k1-secret-key-value' } });
    await applyWith(first, createProfile(true));
    await first.manager.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('cached-access-');
    expect(text).not.toContain('cached-refresh-');
    expect(text).toContain('"scope": "read"');

    const before = server.requests.length;
    const second = createHarness({ tokenCache: { file, key: 'k1-secret-key-value' } });
    const request = await applyWith(second, createProfile(true));
    expect(server.requests.length).toBe(before);
    expect(request.headers.find(([n]) => n === 'Authorization')?.[1]).toMatch(/^Bearer cached-access-\d+-abcdef$/);
    // Tokens read from the cache are secrets of this run too.
    expect(second.redactor.redact(request.headers.find(([n]) => n === 'Authorization')![1])).toBe('Bearer [REDACTED]');
  });

  it('cannot read the tokens with another key', async () => {
    const file = join(dir, 'b.json');
    const writer = createHarness({ tokenCache: { file, key: 'right-key-123456' } });
    await applyWith(writer, createProfile(true));
    await writer.manager.close();
    const cache = await TokenCache.open({ file, key: 'wrong-key-654321' });
    expect(cache.list()).toHaveLength(1);
    expect(cache.read(cache.list()[0]!.key)).toBeUndefined();
  });

  it('writes nothing without SORTIE_TOKEN_KEY and says why, while apply() still works', async () => {
    const file = join(dir, 'c.json');
    const harness = createHarness({ tokenCache: { file } });
    const request = await applyWith(harness, createProfile(true));
    expect(request.headers.some(([n]) => n === 'Authorization')).toBe(true);
    await harness.manager.close();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(harness.warnings).toEqual([`token cache disabled: SORTIE_TOKEN_KEY is not set, so no token is read from or written to ${file}`]);
  });

  it('caches only profiles that opt in, unless every profile is cached by flag', async () => {
    const file = join(dir, 'd.json');
    const harness = createHarness({ tokenCache: { file, key: 'key-for-d-123456' } });
    await applyWith(harness, createProfile());
    await harness.manager.close();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const all = createHarness({ tokenCache: { file, key: 'key-for-d-123456', all: true } });
    await applyWith(all, createProfile());
    await all.manager.close();
    expect((await TokenCache.open({ file })).list()).toHaveLength(1);
  });

  it('keeps every profile when several renew at the same time', async () => {
    const file = join(dir, 'f.json');
    const harness = createHarness({ tokenCache: { file, key: 'key-for-f-123456', all: true } });
    const profiles = ['one', 'two', 'three'].map((scope) =>
      createOAuth2Profile({ grant: 'client_credentials', tokenUrl: `${server.url}/token`, clientId: 'c', scope }),
    );
    await Promise.all(
      profiles.map((profile, index) =>
        harness.manager.apply(`p${index}`, profile, {
          method: 'GET',
          url: server.url,
          headers: [],
          timeout: 1000,
          followRedirects: false,
          maxRedirects: 0,
        }),
      ),
    );
    // Saved as tokens arrive, before close().
    expect(
      (await TokenCache.open({ file }))
        .list()
        .map((entry) => entry.profile)
        .sort(),
    ).toEqual(['p0', 'p1', 'p2']);
  });

  it('refuses a file that is not a token cache', async () => {
    const file = join(dir, 'e.json');
    await writeFile(file, '{"hello": 1}');
    await expect(TokenCache.open({ file, key: 'x-key-1234567' })).rejects.toMatchObject({
      code: ErrorCode.AUTH,
      title: 'Invalid token cache',
    });
  });
});
