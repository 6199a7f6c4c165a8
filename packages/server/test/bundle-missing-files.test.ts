import { join } from 'node:path';
import { goldenIn } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundlePlan } from '../src/load-bundle-plan.js';
import type { RunningServer } from '../src/server.js';
import { type RawEntry, rawTarGz } from './hostile-tar.js';
import { startTestServer, type TestServer } from './test-server.js';

const expectGolden = goldenIn(join(import.meta.dirname, 'golden', 'api'));

let running: TestServer;
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
  running = await startTestServer({ loadPlan: loadBundlePlan });
  server = running.server;
  token = await running.token('submit');
}, 60_000);

afterAll(async () => {
  await running?.close();
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
