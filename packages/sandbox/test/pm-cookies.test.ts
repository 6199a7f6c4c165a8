/** pm.response.cookies (from Set-Cookie) and the cookie writes of pm.cookies.jar() reported to the engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

const SET_COOKIE_RESPONSE = fakeResponse(
  { ok: true },
  {
    headers: [
      ['Content-Type', 'application/json'],
      ['Set-Cookie', 'sid=abc123; Path=/; HttpOnly; Secure; SameSite=Lax'],
      ['set-cookie', 'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT, lang=en; Max-Age=60; Domain=.API.test'],
      ['Set-Cookie', 'sid=newer'],
      ['Set-Cookie', 'no-pair-here; Path=/'],
    ],
  },
);

async function logsOf(script: string, overrides: Parameters<typeof fakeContext>[0] = {}): Promise<string[]> {
  const outcome = await sandbox.run(script, fakeContext({ response: SET_COOKIE_RESPONSE, ...overrides }));
  expect(outcome.error?.message).toBeUndefined();
  return outcome.logs.map((l) => l.message);
}

// Newman reads pm.cookies.jar() from the run's cookie jar, for any URL and in a pre-request script
// too: a session cookie set by an earlier response read '1' there, and undefined here (the jar only
// saw the cookies handed to the script, none before a request).
describe("pm.cookies.jar() reads the run's cookie jar", () => {
  it("gets a cookie the jar holds for a URL in a pre-request script, with the script's own writes", async () => {
    const asked: string[] = [];
    const outcome = await sandbox.run(
      `const jar = pm.cookies.jar();
       jar.set('http://a.test/', 'mine', '2');
       jar.unset('http://a.test/', 'gone');
       jar.get('http://a.test/', 'session', (error, value) => console.log('get', error, value));
       jar.getAll('http://a.test/', (error, cookies) => console.log('all', JSON.stringify(cookies)));
       const viaPromise = await new Promise((resolve) => jar.get('http://b.test/', 'session', (e, v) => resolve(v)));
       console.log('b', viaPromise, JSON.stringify(pm.cookies.toObject()));`,
      fakeContext({
        eventName: 'prerequest',
        cookiesFor: async (url): Promise<Record<string, string>> => {
          asked.push(url);
          return url === 'http://a.test/' ? { session: 's1', gone: 'x' } : {};
        },
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual([
      'get null s1',
      'all [{"name":"session","value":"s1"},{"name":"mine","value":"2"}]',
      'b undefined {"mine":"2"}',
    ]);
    expect(asked).toEqual(['http://a.test/', 'http://a.test/', 'http://b.test/']);
  });
});

describe('pm.response.cookies', () => {
  it('reads the Set-Cookie headers as a cookie list, the last cookie of a name winning', async () => {
    expect(
      await logsOf(`const c = pm.response.cookies;
        console.log(c.get('sid'), c.get('theme'), c.get('lang'), String(c.get('missing')), c.count());
        console.log(c.has('lang'), c.has('lang', 'en'), c.has('lang', 'fr'), c.has('Lang'));
        console.log(JSON.stringify(c.toObject()));`),
    ).toEqual(['newer dark en undefined 4', 'true true false false', '{"sid":"newer","theme":"dark","lang":"en"}']);
  });

  it('keeps each cookie’s attributes in all() and one()', async () => {
    const [all, one] = await logsOf(
      `console.log(JSON.stringify(pm.response.cookies.all())); console.log(JSON.stringify(pm.response.cookies.one('lang')));`,
    );
    expect(JSON.parse(all ?? '')).toEqual([
      { name: 'sid', value: 'abc123', path: '/', httpOnly: true, secure: true, sameSite: 'Lax', hostOnly: true, session: true },
      { name: 'theme', value: 'dark', expires: '2037-10-21T07:28:00.000Z', httpOnly: false, secure: false, hostOnly: true, session: false },
      { name: 'lang', value: 'en', maxAge: 60, domain: 'api.test', httpOnly: false, secure: false, hostOnly: false, session: false },
      { name: 'sid', value: 'newer', httpOnly: false, secure: false, hostOnly: true, session: true },
    ]);
    expect(JSON.parse(one ?? '')).toMatchObject({ name: 'lang', domain: 'api.test' });
  });

  it('is empty without Set-Cookie headers and works with chai', async () => {
    const outcome = await sandbox.run(
      `pm.test('no cookies', () => { pm.expect(pm.response.cookies.count()).to.equal(0); pm.expect(pm.response.cookies.toObject()).to.eql({}); });
       pm.test('a copy', () => { const list = pm.response.cookies.all(); list.push(1); pm.expect(pm.response.cookies.count()).to.equal(0); });`,
      fakeContext({ response: fakeResponse({ ok: true }) }),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.message])).toEqual([
      ['no cookies', true, undefined],
      ['a copy', true, undefined],
    ]);
  });
});

describe('pm.cookies', () => {
  it("is a cookie list as Postman's: one, idx, each, filter, map, find and toString besides get, has and toObject", async () => {
    expect(
      await logsOf(
        `console.log(JSON.stringify(pm.cookies.one('sid')), pm.cookies.one('none'), JSON.stringify(pm.cookies.idx(1)));
         pm.cookies.each((c) => console.log('each', c.name));
         console.log(pm.cookies.filter((c) => c.value === 'dark').length, pm.cookies.map((c) => c.name).join(','), pm.cookies.find((c) => c.name === 'theme').value);
         console.log(pm.cookies.toString(), pm.cookies.count(), pm.cookies.has('sid', 's-1'));`,
        { cookies: { sid: 's-1', theme: 'dark' } },
      ),
    ).toEqual([
      '{"name":"sid","value":"s-1"} undefined {"name":"theme","value":"dark"}',
      'each sid',
      'each theme',
      '1 sid,theme dark',
      'sid=s-1; theme=dark 2 true',
    ]);
  });
});

describe('pm.cookies.jar() writes', () => {
  it('reports set, unset and clear in call order for the engine', async () => {
    const outcome = await sandbox.run(
      `const jar = pm.cookies.jar();
       jar.set('http://api.test', 'token', 'abc', (error, cookie) => console.log(error, JSON.stringify(cookie)));
       jar.set(pm.request.url, { name: 'obj', value: 42 });
       jar.unset('http://api.test', 'sid', (error) => console.log('unset', error));
       console.log(pm.cookies.get('token'), String(pm.cookies.get('sid')));
       jar.clear('http://api.test', () => console.log('cleared', pm.cookies.count()));`,
      fakeContext({
        cookies: { sid: 'old' },
        eventName: 'prerequest',
        request: { method: 'GET', url: 'https://api.test/items', headers: [] },
      }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['null {"name":"token","value":"abc"}', 'unset null', 'abc undefined', 'cleared 0']);
    expect(outcome.cookieWrites).toEqual([
      { url: 'http://api.test', name: 'token', value: 'abc' },
      { url: 'https://api.test/items', name: 'obj', value: '42' },
      { url: 'http://api.test', name: 'sid' },
      { url: 'http://api.test' },
    ]);
  });

  it('reports nothing when the jar is only read, and refuses a write without a URL', async () => {
    const read = await sandbox.run(`pm.cookies.jar().getAll('http://api.test', () => {});`, fakeContext({ cookies: { a: '1' } }));
    expect(read.cookieWrites).toBeUndefined();
    const missing = await sandbox.run(`pm.cookies.jar().set('', 'a', 'b', (error) => console.log(error.message));`, fakeContext());
    expect(missing.logs.map((l) => l.message)).toEqual(['pm.cookies.jar: a URL is required']);
    expect(missing.cookieWrites).toBeUndefined();
  });

  it('keeps the writes of one run out of the next', async () => {
    await sandbox.run(`pm.cookies.jar().set('http://a.test', 'x', '1');`, fakeContext());
    expect((await sandbox.run(`pm.cookies.jar().unset('http://b.test', 'y');`, fakeContext())).cookieWrites).toEqual([
      { url: 'http://b.test', name: 'y' },
    ]);
  });
});
