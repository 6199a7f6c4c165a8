/**
 * A secret split by a cut: a body cut to `maxBodyInReport`, an assertion's `actual` cut to 1,024
 * characters and a message's value cut to 200, each in the middle of a registered secret. The first
 * part of it was left in every output (the text was cut, then redacted: the redactor saw no whole
 * secret). Every output of a real `sortie run` must hold no part of it of 6 characters or more.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'sekr3t-T0ken-value-4711-zz';
let server: Server;
let dir: string;
const outputs = new Map<string, string>();

beforeAll(async () => {
  ensureBuilt();
  // Each route puts the secret where a cut falls: at byte 100 of the body (maxBodyInReport 110), at
  // character 1,020 of a string (actual cut at 1,024), at character 190 of a value (message cut at 200).
  server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    const pad = (n: number) => 'x'.repeat(n);
    if (request.url === '/body') response.end(`${pad(100)}${SECRET}${pad(50)}`);
    else if (request.url === '/actual') response.end(JSON.stringify({ long: `${pad(1020)}${SECRET}` }));
    else response.end(JSON.stringify({ short: `${pad(188)}${SECRET}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'sortie-secret-cut-'));
  writeFileSync(join(dir, 'env.json'), JSON.stringify({ secrets: ['TOKEN'] }));
  const scenario = {
    name: 'cut secrets',
    options: { onError: 'continue', maxBodyInReport: 110 },
    steps: [
      { name: 'body', request: { method: 'GET', url: `${base}/body` }, post: [{ assert: { body: { equals: 'no' } } }] },
      {
        name: 'actual',
        request: { method: 'GET', url: `${base}/actual` },
        post: [{ assert: { jsonpath: { path: '$.long', equals: 'no' } } }],
      },
      {
        name: 'message',
        request: { method: 'GET', url: `${base}/message` },
        post: [{ assert: { jsonpath: { path: '$.short', equals: 'no' } } }],
      },
      {
        name: 'script',
        request: { method: 'GET', url: `${base}/message` },
        post: [{ script: "pm.test('t', () => pm.expect(pm.response.json().short).to.equal('no'));" }],
      },
    ],
  };
  writeFileSync(join(dir, 'cut.json'), JSON.stringify(scenario));
  for (const verbose of [false, true]) {
    const out = join(dir, verbose ? 'verbose' : 'plain');
    const args = ['run', join(dir, 'cut.json'), '-e', join(dir, 'env.json'), '-r', 'cli,json,junit,html', '--out-dir', out];
    if (verbose) args.push('--verbose');
    const result = await runSortie(args, { env: { TOKEN: SECRET } });
    expect(result.code, result.stderr).toBe(1);
    outputs.set(`${verbose ? 'verbose ' : ''}stdout`, result.stdout);
    for (const file of readdirSync(out)) outputs.set(`${verbose ? 'verbose ' : ''}${file}`, readFileSync(join(out, file), 'utf8'));
  }
}, 120_000);

afterAll(() => {
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a secret split by a cut', () => {
  it('leaves no part of it of 6 characters or more in any output', () => {
    expect(outputs.size).toBe(8);
    const hits: string[] = [];
    for (const [name, text] of outputs) {
      for (let length = SECRET.length; length >= 6; length--) {
        const at = text.indexOf(SECRET.slice(0, length));
        if (at !== -1) {
          hits.push(`${name}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + length + 5))}`);
          break;
        }
      }
    }
    expect(hits).toEqual([]);
    // Redacted where it was cut, not dropped: the cut body ends in the mark.
    expect(outputs.get('report.json')).toContain('[REDACTED]');
  });
});
