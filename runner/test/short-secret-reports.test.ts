/**
 * A short secret that is also one of the tool's own words (a development database password `test`,
 * `script`, `equals`, `request`, `passed`): every report of a real `sortie run` keeps the tool's
 * fields whole — a pm.test's operator was `[REDACTED]` in report.json (a file outside ReportSchema),
 * and step kinds, operators and the page title were `[REDACTED]` on the HTML page — while every
 * string the scenario or the server wrote still has the secret redacted.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSchema } from '@sortie/reporters';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRETS = ['test', 'script', 'equals', 'request', 'passed', 'assert'];
let server: Server;
let dir: string;

beforeAll(async () => {
  ensureBuilt();
  // The server echoes the word the test looks for in the body and a header (data: redacted).
  server = createServer((request, response) => {
    const word = new URL(request.url ?? '/', 'http://x').searchParams.get('w') ?? '';
    response.setHeader('content-type', 'application/json');
    response.setHeader('x-echo', `echo ${word}`);
    response.end(JSON.stringify({ said: `said ${word}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'sortie-short-secret-'));
  writeFileSync(join(dir, 'sortie.config.json'), JSON.stringify({ secrets: ['A'] }));
}, 60_000);

afterAll(() => {
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Runs one passing scenario with the secret in `.env`, the name, the URL and the body; returns the reports. */
async function runWith(secret: string): Promise<{ json: string; junit: string; html: string }> {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(dir, '.env'), `A=${secret}\n`);
  const scenario = {
    name: `uses ${secret}`,
    steps: [
      {
        name: `get ${secret}`,
        request: { method: 'GET', url: `${base}/x?w=${secret}` },
        post: [
          { assert: { status: { equals: 200 } } },
          { script: `pm.test('said ${secret}', () => pm.expect(pm.response.json().said).to.equal('said ${secret}'));` },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 's.json'), JSON.stringify(scenario));
  const out = join(dir, `out-${secret}`);
  const result = await runSortie(['run', 's.json', '-r', 'json,junit,html', '--out-dir', out], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const read = (file: string) => readFileSync(join(out, file), 'utf8');
  return { json: read('report.json'), junit: read('junit.xml'), html: read('report.html') };
}

describe('a short secret that is one of the tool’s own words', () => {
  it.each(SECRETS)(
    '%s: reports keep their own fields, and redact it everywhere the scenario or server wrote it',
    async (secret) => {
      const { json, junit, html } = await runWith(secret);
      const report = JSON.parse(json);
      expect(ReportSchema.safeParse(report).error).toBeUndefined();
      const step = report.scenarios[0].steps[0];
      expect(step.kind).toBe('request');
      expect(step.status).toBe('passed');
      expect(step.assertions.map((a: { operator: string; source: string }) => `${a.source} ${a.operator}`)).toEqual([
        'assert equals',
        'script test',
      ]);
      // What the user and the server wrote: redacted.
      expect(report.scenarios[0].name).toBe('uses [REDACTED]');
      expect(step.name).toBe('get [REDACTED]');
      expect(step.request.url).toMatch(/\?w=\[REDACTED\]$/);
      expect(step.response.headers).toContainEqual(['x-echo', 'echo [REDACTED]']);
      expect(step.response.body.text).toBe('{"said":"said [REDACTED]"}');
      expect(step.assertions[1].name).toBe('said [REDACTED]');
      for (const text of [json, junit, html]) expect(text).not.toMatch(new RegExp(`(said|echo|get|uses) ${secret}`));
      // The HTML page: its title, step kinds and operators whole.
      expect(html).toContain('<title>Sortie report — passed</title>');
      expect(html).toContain('data-kind="request"');
      expect(html).toContain('status equals');
      expect(junit).toContain('get [REDACTED]');
    },
    60_000,
  );
});
