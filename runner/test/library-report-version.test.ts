/**
 * The library entry of the `sortie` package (runner/dist/index.mjs, what `import … from 'sortie'`
 * loads): the reports its reporters write carry the package's version, as those of `sortie run` do,
 * without the caller having to pass `toolVersion`.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

type Library = typeof import('@sortie/api');
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'runner', 'package.json'), 'utf8')) as { version: string };

let server: Server;
let base: string;
let lib: Library;
let cwd: string;

beforeAll(async () => {
  lib = (await import(pathToFileURL(join(ROOT, 'runner', 'dist', 'index.mjs')).href)) as Library;
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cwd = mkdtempSync(join(tmpdir(), 'sortie-lib-version-'));
  const scenario = {
    name: 'one',
    steps: [{ name: 'ping', request: { url: '{{base}}/ping' }, post: [{ assert: { jsonpath: { path: '$.path', equals: '/ping' } } }] }],
  };
  writeFileSync(join(cwd, 'one.json'), JSON.stringify(scenario));
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

it('stamps the JSON and HTML reports with the package version by default', async () => {
  const plan = await lib.loadPlan({ paths: ['one.json'], cwd });
  let json = '';
  let html = '';
  const result = await lib.run(plan, {
    envVars: { base },
    reporters: [
      lib.createJsonReporter({
        file: 'report.json',
        onReport: (bytes) => {
          json = Buffer.from(bytes).toString('utf8');
        },
      }),
      lib.createHtmlReporter({
        file: 'report.html',
        onReport: (bytes) => {
          html = Buffer.from(bytes).toString('utf8');
        },
      }),
    ],
  });
  expect(result.status).toBe('passed');
  expect((JSON.parse(json) as { tool: unknown }).tool).toEqual({ name: 'sortie', version: MANIFEST.version });
  expect(html).toContain(`<p class="tool">sortie ${MANIFEST.version}</p>`);
});

it('keeps a toolVersion the caller gives', async () => {
  const plan = await lib.loadPlan({ paths: ['one.json'], cwd });
  let json = '';
  await lib.run(plan, {
    envVars: { base },
    reporters: [
      lib.createJsonReporter({
        file: 'r.json',
        toolVersion: 'my-harness 3',
        onReport: (b) => {
          json = Buffer.from(b).toString();
        },
      }),
    ],
  });
  expect((JSON.parse(json) as { tool: { version: string } }).tool.version).toBe('my-harness 3');
});
