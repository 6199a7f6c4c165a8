import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { FakeVariables, fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

describe('pm.info, pm.execution, pm.visualizer, pm.cookies', () => {
  it('describes the run in pm.info', async () => {
    const outcome = await sandbox.run(
      `console.log(JSON.stringify(pm.info));`,
      fakeContext({ eventName: 'prerequest', requestName: 'Login', requestId: 'r-9', iteration: 2, iterationCount: 5 }),
    );
    expect(JSON.parse(outcome.logs[0]?.message ?? '')).toEqual({
      eventName: 'prerequest',
      iteration: 2,
      iterationCount: 5,
      requestName: 'Login',
      requestId: 'r-9',
    });
  });

  it('names the active environment in pm.environment.name, undefined without one', async () => {
    const named = await sandbox.run(
      `console.log(pm.environment.name, pm.info.requestName, pm.info.requestId);`,
      fakeContext({ environmentName: 'staging' }),
    );
    const unnamed = await sandbox.run(
      `console.log(String(pm.environment.name), Object.keys(pm.environment).includes('name'));`,
      fakeContext(),
    );
    expect(named.logs.map((l) => l.message)).toEqual(['staging Get items req-1']);
    expect(unnamed.logs.map((l) => l.message)).toEqual(['undefined false']);
  });

  it('gives a library script its arguments as pm.args and args, a copy of the host object', async () => {
    const hostArgs = { keyVar: 'apiKey', rounds: 2 };
    const outcome = await sandbox.run(
      `console.log(pm.args.keyVar, args.rounds + 1); args.keyVar = 'changed';`,
      fakeContext({ args: hostArgs }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs[0]?.message).toBe('apiKey 3');
    expect(hostArgs.keyVar).toBe('apiKey');
  });

  it('skips the request from a pre-request script only', async () => {
    const pre = await sandbox.run(`pm.execution.skipRequest();`, fakeContext({ eventName: 'prerequest' }));
    const post = await sandbox.run(`pm.execution.skipRequest();`, fakeContext());
    expect(pre.skipRequest).toBe(true);
    expect(post.skipRequest).toBe(false);
  });

  it('gives pm.execution.location as postman-sandbox does: the path, and a read-only current that is not listed', async () => {
    const outcome = await sandbox.run(
      `const location = pm.execution.location;
       console.log(JSON.stringify(location), location.current, Array.isArray(location), Object.keys(location).join());
       location.current = 'x'; console.log(location.current);`,
      fakeContext({ requestName: 'Get user', location: ['My API', 'Users', 'Get user'] }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((line) => line.message)).toEqual(['["My API","Users","Get user"] Get user true 0,1,2', 'Get user']);
    const alone = await sandbox.run(`console.log(JSON.stringify(pm.execution.location));`, fakeContext({ requestName: 'Ping' }));
    expect(alone.logs[0]?.message).toBe('["Ping"]');
  });

  it('reports setNextRequest by name, null to stop, and nothing when not called', async () => {
    expect((await sandbox.run(`pm.execution.setNextRequest('Logout');`, fakeContext())).nextRequest).toBe('Logout');
    expect((await sandbox.run(`postman.setNextRequest(null);`, fakeContext())).nextRequest).toBeNull();
    expect((await sandbox.run(`1;`, fakeContext())).nextRequest).toBeUndefined();
  });

  it('keeps the visualizer template and data', async () => {
    const outcome = await sandbox.run(`pm.visualizer.set('<p>{{name}}</p>', { name: 'x' });`, fakeContext());
    expect(outcome.visualizer).toEqual({ template: '<p>{{name}}</p>', data: { name: 'x' } });
  });

  it('keeps the template and warns when the visualizer data cannot be serialised, with or without other logs', async () => {
    const warning = { level: 'warn', message: 'pm.visualizer.set: the data is not JSON-serialisable and was dropped' };
    const alone = await sandbox.run(`pm.visualizer.set('<p>{{n}}</p>', { n: 1n });`, fakeContext());
    expect(alone.visualizer).toEqual({ template: '<p>{{n}}</p>' });
    expect(alone.logs).toEqual([warning]);
    const logged = await sandbox.run(`console.log('before'); pm.visualizer.set('<p>{{n}}</p>', { n: 1n });`, fakeContext());
    expect(logged.logs).toEqual([{ level: 'log', message: 'before' }, warning]);
    expect(logged.error).toBeUndefined();
  });

  it('reads cookies and the minimal jar', async () => {
    const outcome = await sandbox.run(
      `pm.test('cookies', () => {
         pm.expect(pm.cookies.get('sid')).to.equal('abc');
         pm.expect(pm.cookies.has('sid', 'abc')).to.equal(true);
         pm.expect(pm.cookies.toObject()).to.eql({ sid: 'abc', theme: 'dark' });
       });
       pm.test('jar', (done) => {
         const jar = pm.cookies.jar();
         jar.set('http://api.test', 'added', 'v', () => {
           jar.get('http://api.test', 'added', (error, value) => { pm.expect(value).to.equal('v'); done(error); });
         });
       });`,
      fakeContext({ cookies: { sid: 'abc', theme: 'dark' } }),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.message])).toEqual([
      ['cookies', true, undefined],
      ['jar', true, undefined],
    ]);
  });

  it('gives the legacy response header and cookie lookups, responseCookies and the read-only dictionaries', async () => {
    const variables = new FakeVariables({ environment: { host: 'api.test' }, global: { g: '1' }, data: { row: 'r1' } });
    const outcome = await sandbox.run(
      `console.log(postman.getResponseHeader('content-type'), postman.getResponseHeader('X-Missing'));
       const session = postman.getResponseCookie('SESSION');
       console.log(session.name, session.value, session.path, session.httpOnly, postman.getResponseCookie('nope'));
       console.log(JSON.stringify(responseCookies.map((c) => [c.name, c.value])));
       console.log(JSON.stringify([environment, globals, data]));
       console.log(JSON.stringify(request));`,
      fakeContext({
        variables,
        cookies: { session: 'jar-old', theme: 'dark' },
        request: { method: 'POST', url: 'http://api.test/login', headers: [['Accept', 'application/json']], body: '{"u":1}' },
        response: fakeResponse(
          { ok: true },
          {
            headers: [
              ['Content-Type', 'application/json'],
              ['Set-Cookie', 'session=new; Path=/; HttpOnly'],
            ],
          },
        ),
      }),
    );
    expect(outcome.error?.message).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual([
      'application/json undefined',
      'session new / true undefined',
      '[["session","new"],["theme","dark"]]',
      '[{"host":"api.test"},{"g":"1"},{"row":"r1"}]',
      '{"url":"http://api.test/login","method":"POST","headers":{"Accept":"application/json"},"data":"{\\"u\\":1}","name":"Get items","id":"req-1"}',
    ]);
  });

  it('clears every environment or global variable with the legacy calls', async () => {
    const variables = new FakeVariables({ environment: { a: '1', b: '2' }, global: { g: '1' } });
    const outcome = await sandbox.run(`postman.clearEnvironmentVariables(); postman.clearGlobalVariables();`, fakeContext({ variables }));
    expect(outcome.error).toBeUndefined();
    expect(variables.toObject('environment')).toEqual({});
    expect(variables.toObject('global')).toEqual({});
  });

  it('converts XML with the legacy xml2Json as Postman does (single children not in arrays, text trimmed)', async () => {
    const outcome = await sandbox.run(
      `const json = xml2Json('<order id="7"><item> pen </item><item>ink</item><total>3</total></order>');
       console.log(JSON.stringify(json));`,
      fakeContext(),
    );
    expect(outcome.error?.message).toBeUndefined();
    expect(JSON.parse(outcome.logs[0]?.message ?? 'null')).toEqual({ order: { $: { id: '7' }, item: ['pen', 'ink'], total: '3' } });
  });
});
