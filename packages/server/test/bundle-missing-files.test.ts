/**
 * A bundle whose manifest names a file the bundle does not have, or a link that never reaches a file
 * (a loop, a dangling target), is a bad upload: 400 "Invalid bundle" naming the path, not a 404
 * "File not found" that reads as a wrong URL. A server of its own with the real plan loader, on a
 * redis-server of the test's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedis, startOwnRedis } from '../../agent/test/redis-server.js';
import { createApiToken } from '../src/api-tokens.js';
import { loadBundlePlan } from '../src/load-bundle-plan.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type RawEntry, rawTarGz } from './hostile-tar.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));

let own: OwnRedis;
let work: string;
let server: RunningServer;
let token = '';

const scenario = JSON.stringify({ name: 'ok', steps: [{ name: 'w', wait: 1 }] });

async function upload(manifest: Record<string, unknown>, entries: RawEntry[]): Promise<string> {
  const form = new FormData();
  const archive = rawTarGz([{ name: 'sortie-bundle.json', data: JSON.stringify({ version: 1, ...manifest }) }, ...entries]);
  form.set('bundle', new Blob([archive]), 'b.tgz');
  const response = await fetch(new URL('/api/plans', server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await response.text();
  expect(response.status, body).toBe(400);
  return `${response.status} ${body}`;
}

beforeAll(async () => {
  own = await startOwnRedis();
  work = await mkdtemp(join(tmpdir(), 'sortie-missing-'));
  server = await startServer({
    redis: own.url,
    port: 0,
    dataDir: join(work, 'data'),
    version: 'test',
    loadPlan: loadBundlePlan,
    retentionDays: 0,
  });
  token = (await createApiToken(server.store, { name: 'submit', scope: 'submit' })).token;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await own?.close();
  await rm(work, { recursive: true, force: true });
});

describe('a bundle that names files it does not have', { timeout: 60_000 }, () => {
  it('is a 400 "Invalid bundle" naming the path', async () => {
    const ok = { name: 'ok.json', data: scenario };
    const cases: [string, Promise<string>][] = [
      ['a scenario missing', upload({ files: ['missing.json'] }, [ok])],
      [
        'a link loop',
        upload({ files: ['a.json'] }, [ok, { name: 'a.json', type: '2', link: 'b.json' }, { name: 'b.json', type: '2', link: 'a.json' }]),
      ],
      ['a dangling link', upload({ files: ['a.json'] }, [ok, { name: 'a.json', type: '2', link: 'gone.json' }])],
      ['an environment missing', upload({ files: ['ok.json'], environment: 'env.json' }, [ok])],
      ['iteration data missing', upload({ files: ['ok.json'], iterationData: 'rows.csv' }, [ok])],
    ];
    const lines: string[] = [];
    for (const [label, answer] of cases) lines.push(`${label}\n  ${await answer}`);
    expectGolden('bundle-missing.txt', `${lines.join('\n')}\n`);
  });
});
