/**
 * The guest's WHATWG URL / URLSearchParams and Node's legacy `url` module, checked against the
 * host's own (Node) implementations on the same inputs.
 */
import { parse as nodeParse, resolve as nodeResolve } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

/** Runs `expression` in the guest and returns its value through JSON. */
async function evaluate(expression: string): Promise<unknown> {
  const outcome = await sandbox.run(`console.log(JSON.stringify(${expression}));`, fakeContext());
  expect(outcome.error?.message).toBeUndefined();
  return JSON.parse(outcome.logs[0]?.message ?? 'null');
}

const FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const;
const DESCRIBE = `(u) => ({ ${FIELDS.map((f) => `${f}: u.${f}`).join(', ')} })`;

function describeUrl(url: URL): Record<string, string> {
  return Object.fromEntries(FIELDS.map((f) => [f, url[f]]));
}

const BASE = 'http://a/b/c/d;p?q';
const CASES: Array<[string, string?]> = [
  ['http://example.com'],
  ['HTTP://EXAMPLE.com:80/'],
  ['https://user:p%40ss@Example.COM:443/a/./b/../c d?x=1&y=a+b#frag'],
  ['https://a.b/c/../../d?e=f g#h i'],
  ['http://[::1]:8080/x'],
  ['http://a/b c/%7Bx%7D/{y}'],
  ['http://a/?q="<>\'`'],
  ['file:///etc/passwd'],
  ['urn:isbn:0451450523'],
  ['mailto:Joe@Example.COM?subject=hi'],
  ['ws://h:80/s'],
  ['ftp://u:p@h:21/f'],
  ['http:\\\\h\\p\\q'],
  ['https://h/a/%2e%2E/b'],
  ['custom://Host/Path/../x'],
  ['https://h/é?é#é'],
  ['  http://h/x  '],
  ['http://h/\ta\nb'],
  ['g', BASE],
  ['./g', BASE],
  ['g/', BASE],
  ['/g', BASE],
  ['//g', BASE],
  ['?y', BASE],
  ['g?y', BASE],
  ['#s', BASE],
  ['', BASE],
  ['..', BASE],
  ['../../../g', BASE],
  ['http:g', BASE],
];

describe('URL and URLSearchParams globals', () => {
  it('parses and resolves URLs like Node does', async () => {
    const guest = await evaluate(`${JSON.stringify(CASES)}.map((c) => (${DESCRIBE})(new URL(c[0], c[1])))`);
    expect(guest).toEqual(CASES.map(([input, base]) => describeUrl(new URL(input, base))));
  });

  it('rejects invalid URLs with a TypeError and reports them through URL.canParse', async () => {
    const inputs = ['not a url', 'http://', 'http://h:99999/', 'http://a b/', '/relative'];
    const guest = await evaluate(
      `${JSON.stringify(inputs)}.map((i) => { try { new URL(i); return 'parsed'; } catch (e) { return e instanceof TypeError && URL.canParse(i) === false; } })`,
    );
    expect(guest).toEqual(inputs.map(() => true));
  });

  it('updates href through the component setters', async () => {
    const script = `(() => {
      const u = new URL('http://h/p?a=1#x');
      u.protocol = 'https'; u.hostname = 'API.example.com'; u.port = '8443'; u.pathname = 'v1/items';
      u.search = 'b=2 3'; u.hash = 'top'; u.username = 'me'; u.password = 'p@ss';
      const a = u.href;
      u.port = '443'; u.host = 'other:81'; u.search = ''; u.hash = '';
      return [a, u.href];
    })()`;
    const u = new URL('http://h/p?a=1#x');
    u.protocol = 'https';
    u.hostname = 'API.example.com';
    u.port = '8443';
    u.pathname = 'v1/items';
    u.search = 'b=2 3';
    u.hash = 'top';
    u.username = 'me';
    u.password = 'p@ss';
    const a = u.href;
    u.port = '443';
    u.host = 'other:81';
    u.search = '';
    u.hash = '';
    expect(await evaluate(script)).toEqual([a, u.href]);
  });

  it('keeps searchParams and search in sync both ways', async () => {
    const script = `(() => {
      const u = new URL('https://h/s?q=a+b&tag=1&tag=2');
      const seen = [u.searchParams.get('q'), u.searchParams.getAll('tag'), u.searchParams.has('tag', '2'), u.searchParams.size];
      u.searchParams.set('tag', 'x y'); u.searchParams.append('é', '&='); u.searchParams.delete('q');
      seen.push(u.search);
      u.search = '?z=1';
      seen.push(u.searchParams.get('z'), u.searchParams.get('tag'));
      u.searchParams.delete('z');
      seen.push(u.href);
      return seen;
    })()`;
    expect(await evaluate(script)).toEqual(['a b', ['1', '2'], true, 3, '?tag=x+y&%C3%A9=%26%3D', '1', null, 'https://h/s']);
  });

  it('builds, sorts, iterates and serialises URLSearchParams like Node', async () => {
    const script = `(() => {
      const p = new URLSearchParams({ b: '2', a: 'x y', c: "!'()~*" });
      p.append('a', '1');
      p.sort();
      const fromPairs = new URLSearchParams([['k', 'v'], ['k', 'w']]);
      const fromText = new URLSearchParams('?x=%41&y=%ZZ&flag&=empty');
      const pairs = []; fromText.forEach((v, k) => pairs.push(k + ':' + v));
      return [p.toString(), [...p.keys()], [...fromPairs.values()], pairs, String(new URLSearchParams(fromPairs))];
    })()`;
    const p = new URLSearchParams({ b: '2', a: 'x y', c: "!'()~*" });
    p.append('a', '1');
    p.sort();
    const fromText = new URLSearchParams('?x=%41&y=%ZZ&flag&=empty');
    const pairs: string[] = [];
    fromText.forEach((v, k) => {
      pairs.push(`${k}:${v}`);
    });
    expect(await evaluate(script)).toEqual([p.toString(), [...p.keys()], ['v', 'w'], pairs, 'k=v&k=w']);
  });

  it('accepts a pm.request.url and gives URLs their JSON form', async () => {
    const outcome = await sandbox.run(
      `const u = new URL(pm.request.url); console.log(u.searchParams.get('page'), JSON.stringify({ u }), String(u));`,
      fakeContext({ eventName: 'prerequest', request: { method: 'GET', url: 'https://api.test/items?page=2', headers: [] } }),
    );
    expect(outcome.logs.map((l) => l.message)).toEqual(['2 {"u":"https://api.test/items?page=2"} https://api.test/items?page=2']);
  });
});

describe("require('url')", () => {
  it('exposes the same URL and URLSearchParams as the globals, also as node:url', async () => {
    expect(
      await evaluate(
        `[require('url').URL === URL, require('url').URLSearchParams === URLSearchParams, require('node:url') === require('url')]`,
      ),
    ).toEqual([true, true, true]);
  });

  it('parses like Node’s legacy url.parse', async () => {
    const inputs = [
      'http://u:p@Host.com:8080/p/a?x=1&x=2#h',
      'https://example.com',
      '/just/a/path?q=1',
      'mailto:someone@x.y',
      'http://h/a b',
    ];
    const guest = (await evaluate(`${JSON.stringify(inputs)}.map((i) => Object.assign({}, require('url').parse(i)))`)) as unknown[];
    const plain = (value: unknown) => JSON.parse(JSON.stringify({ ...(value as object) }));
    expect(guest).toEqual(inputs.map((i) => plain(nodeParse(i))));
    expect(await evaluate(`Object.assign({}, require('url').parse('http://h/p?a=1&a=2&b=', true).query)`)).toEqual({
      a: ['1', '2'],
      b: '',
    });
  });

  it('formats url objects and resolves like Node', async () => {
    const pairs: Array<[string, string]> = [
      ['http://a.com/b/c', '../d'],
      ['http://a.com/b/c', '/e?f=1'],
      ['http://a.com/b/c', 'https://other/x'],
      ['/one/two/three', 'four'],
      ['one/two', 'three'],
    ];
    const guest = await evaluate(`(() => {
      const url = require('url');
      return [
        ${JSON.stringify(pairs)}.map((p) => url.resolve(p[0], p[1])),
        url.format({ protocol: 'https', hostname: 'a.com', port: 8443, pathname: '/x', query: { q: 'a b', n: [1, 2] } }),
        url.format(new URL('http://h/p?q#f')),
        url.format('HTTP://H.com/p'),
      ];
    })()`);
    expect(guest).toEqual([
      pairs.map(([from, to]) => nodeResolve(from, to)),
      'https://a.com:8443/x?q=a%20b&n=1&n=2',
      'http://h/p?q#f',
      'http://h.com/p',
    ]);
  });
});
