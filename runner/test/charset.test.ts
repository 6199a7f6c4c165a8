/**
 * A response body in the charset its Content-Type names (RFC 9110 §8.3.2), as Newman reads it: in
 * assertions, extractions, scripts and reports. `charset=iso-8859-1` was read as UTF-8 (`café`
 * became `caf\ufffd`). A real `sortie run` against a local server answering in several charsets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Route → [Content-Type, body bytes]. */
const BODIES: Record<string, [string, Buffer]> = {
  '/latin1': ['text/plain; charset=ISO-8859-1', Buffer.from('café crème', 'latin1')],
  '/cp1252': ['text/plain; charset="windows-1252"', Buffer.from([0x80, 0x20, 0x35])], // "€ 5"
  '/sjis-json': [
    'application/json; charset=Shift_JIS',
    Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0x93, 0xfa, 0x96, 0x7b, 0x22, 0x7d]),
  ], // {"n":"日本"}
  '/unknown': ['text/plain; charset=x-no-such-charset', Buffer.from('naïve', 'utf8')],
  '/utf8': ['text/plain', Buffer.from('naïve', 'utf8')],
  // No charset: an XML document is read in the encoding its declaration names (RFC 7303 §3.2).
  '/latin1-soap': [
    'application/soap+xml',
    Buffer.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<s:Envelope xmlns:s="urn:s"><s:Body><name a=\'é\'>Café</name></s:Body></s:Envelope>',
      'latin1',
    ),
  ],
  '/utf8-xml': ['text/xml', Buffer.from("<?xml version='1.0'?><name>Café</name>", 'utf8')],
};

let server: Server;
let dir: string;
let report: { scenarios: { steps: { name: string; status: string; response?: { body?: { text: string } } }[] }[] };
let stdout: string;

beforeAll(async () => {
  ensureBuilt();
  server = createServer((request, response) => {
    const [type, body] = BODIES[request.url ?? ''] ?? ['text/plain', Buffer.from('?')];
    response.setHeader('content-type', type);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const step = (path: string, text: string) => ({
    name: path.slice(1),
    request: { method: 'GET', url: `${base}${path}` },
    post: [
      { assert: { body: { equals: text } } },
      { script: `pm.test('text', () => pm.expect(pm.response.text()).to.equal(${JSON.stringify(text)}));` },
    ],
  });
  const scenario = {
    name: 'charsets',
    options: { onError: 'continue' },
    steps: [
      step('/latin1', 'café crème'),
      step('/cp1252', '€ 5'),
      {
        name: 'sjis-json',
        request: { method: 'GET', url: `${base}/sjis-json` },
        post: [
          { assert: { jsonpath: { path: '$.n', equals: '日本' } } },
          { extract: { var: 'n', jsonpath: '$.n' } },
          {
            script:
              "pm.test('json', () => pm.expect(pm.response.json().n).to.equal('日本') && pm.expect(pm.variables.get('n')).to.equal('日本'));",
          },
        ],
      },
      step('/unknown', 'naïve'),
      step('/utf8', 'naïve'),
      ...['/latin1-soap', '/utf8-xml'].map((path) => ({
        name: path.slice(1),
        request: { method: 'GET', url: `${base}${path}` },
        post: [
          { assert: { xpath: { path: '//name', equals: 'Café' } } },
          { assert: { xpath: { path: 'string(//name/@a)', oneOf: ['é', ''] } } },
          { extract: { var: 'name', xpath: '//name' } },
          { assert: { variable: { name: 'name', equals: 'Café' } } },
        ],
      })),
    ],
  };
  dir = mkdtempSync(join(tmpdir(), 'sortie-charset-'));
  writeFileSync(join(dir, 'charsets.json'), JSON.stringify(scenario));
  const result = await runSortie(['run', join(dir, 'charsets.json'), '-r', 'cli,json', '--out-dir', dir]);
  stdout = result.stdout;
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
}, 60_000);

afterAll(() => {
  server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a response body in the charset its Content-Type names', () => {
  it('is read in that charset by assertions, extractions and scripts (every step passed)', () => {
    expect(report.scenarios[0]?.steps.map((s) => [s.name, s.status])).toEqual(
      ['latin1', 'cp1252', 'sjis-json', 'unknown', 'utf8', 'latin1-soap', 'utf8-xml'].map((name) => [name, 'passed']),
    );
    expect(stdout).toContain('PASSED');
  });

  it('an XML document without a charset is read by XPath in the encoding of its XML declaration (Caf\ufffd before)', () => {
    expect(report.scenarios[0]?.steps.slice(5).map((s) => [s.name, s.status])).toEqual([
      ['latin1-soap', 'passed'],
      ['utf8-xml', 'passed'],
    ]);
  });

  it('is shown in that charset in the report', () => {
    expect(report.scenarios[0]?.steps.slice(0, 5).map((s) => s.response?.body?.text)).toEqual([
      'café crème',
      '€ 5',
      '{"n":"日本"}',
      'naïve',
      'naïve',
    ]);
  });
});
