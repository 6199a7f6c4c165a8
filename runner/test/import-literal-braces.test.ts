/**
 * Text an importer copies from its input is literal: a `{{` in a recorded query, header or body (a HAR
 * file, a curl command) or in an OpenAPI example is what the API was sent, not a Sortie variable. The
 * imported scenario runs against the echo route of the fixture API and sends that text unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let work: string;
let server: FixtureServer;
beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-import-braces-'));
  server = await startFixtureServer();
});
afterAll(async () => {
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

interface Sent {
  url: string;
  headers: Array<[string, string]>;
  body?: { text?: string };
}

/** Runs the imported project in `out` with a JSON report; returns the run's outcome and what each step sent. */
async function runImported(out: string, env: Record<string, string> = {}) {
  const outcome = await runSortie(['run', 'scenarios', '-r', 'cli,json', '--out-dir', 'reports', '--no-color'], { cwd: out, env });
  const report = JSON.parse(readFileSync(join(out, 'reports', 'report.json'), 'utf8')) as {
    scenarios: Array<{ steps: Array<{ request?: Sent }> }>;
  };
  return { outcome, sent: report.scenarios.flatMap((s) => s.steps.map((step) => step.request)) };
}

describe('imported text with "{{" in it is sent as written', () => {
  it('sortie import har', async () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'test', version: '1' },
        entries: [
          {
            startedDateTime: '2026-01-01T00:00:00Z',
            time: 1,
            request: {
              method: 'POST',
              url: `${server.url}/echo?tpl=%7B%7Bname%7D%7D`,
              httpVersion: 'HTTP/1.1',
              headers: [
                { name: 'Content-Type', value: 'application/json' },
                { name: 'X-Template', value: '{{header}}' },
              ],
              queryString: [],
              cookies: [],
              headersSize: -1,
              bodySize: -1,
              postData: { mimeType: 'application/json', text: '{"greeting":"Hello {{user.name}}!","{{key}}":1}' },
            },
            response: {
              status: 200,
              statusText: 'OK',
              httpVersion: 'HTTP/1.1',
              headers: [],
              cookies: [],
              content: { size: 0, mimeType: 'text/plain' },
              redirectURL: '',
              headersSize: -1,
              bodySize: -1,
            },
            cache: {},
            timings: { send: 0, wait: 0, receive: 0 },
          },
        ],
      },
    };
    writeFileSync(join(work, 'braces.har'), JSON.stringify(har));
    const imported = await runSortie(['import', 'har', 'braces.har', '--out', 'har-out'], { cwd: work });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const { outcome, sent } = await runImported(join(work, 'har-out'));
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(sent[0]?.url).toBe(`${server.url}/echo?tpl=%7B%7Bname%7D%7D`);
    expect(sent[0]?.headers).toContainEqual(['X-Template', '{{header}}']);
    expect(JSON.parse(sent[0]?.body?.text ?? '')).toEqual({ greeting: 'Hello {{user.name}}!', '{{key}}': 1 });
  });

  it('sortie import curl', async () => {
    const command = `curl -H 'X-Template: {{header}}' --data-urlencode 'q={{query}}' ${server.url}/echo`;
    const imported = await runSortie(['import', 'curl', command, '--out', 'curl-out'], { cwd: work });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const { outcome, sent } = await runImported(join(work, 'curl-out'));
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(sent[0]?.headers).toContainEqual(['X-Template', '{{header}}']);
    expect(sent[0]?.body?.text).toBe('q=%7B%7Bquery%7D%7D');
  });

  it('sortie import openapi', async () => {
    writeFileSync(
      join(work, 'braces.yaml'),
      [
        'openapi: 3.0.3',
        'info: { title: Braces, version: "1" }',
        `servers: [{ url: "${server.url}" }]`,
        'paths:',
        '  /echo/{id}:',
        '    post:',
        '      summary: Echo {{it}}',
        '      parameters:',
        '        - { name: id, in: path, required: true, schema: { type: string, example: "{{id}}" } }',
        '        - { name: q, in: query, required: true, schema: { type: string, example: "{{q}}" } }',
        '        - { name: X-Template, in: header, required: true, schema: { type: string, example: "{{h}}" } }',
        '      requestBody:',
        '        content:',
        '          application/json:',
        '            example: { text: "Dear {{name}}" }',
        '      responses: { "200": { description: ok, content: { application/json: { schema: { type: object } } } } }',
      ].join('\n'),
    );
    const imported = await runSortie(['import', 'openapi', 'braces.yaml', '--out', 'openapi-out'], { cwd: work });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const { outcome, sent } = await runImported(join(work, 'openapi-out'));
    expect(outcome.stdout).toContain('✓ Echo {{it}}');
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(sent[0]?.url).toBe(`${server.url}/echo/%7B%7Bid%7D%7D?q=%7B%7Bq%7D%7D`);
    expect(sent[0]?.headers).toContainEqual(['X-Template', '{{h}}']);
    expect(JSON.parse(sent[0]?.body?.text ?? '')).toEqual({ text: 'Dear {{name}}' });
  });
});
