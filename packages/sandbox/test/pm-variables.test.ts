import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { FakeVariables, fakeContext } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

describe('pm variables', () => {
  it('maps every pm scope onto the host scopes', async () => {
    const variables = new FakeVariables();
    const outcome = await sandbox.run(
      `pm.variables.set('a', 1);
       pm.environment.set('b', 'two');
       pm.globals.set('c', { deep: [3] });
       pm.collectionVariables.set('d', true);`,
      fakeContext({ variables }),
    );
    expect(outcome.error).toBeUndefined();
    expect(variables.get('a', 'local')).toBe(1);
    expect(variables.get('b', 'environment')).toBe('two');
    expect(variables.get('c', 'global')).toEqual({ deep: [3] });
    expect(variables.get('d', 'scenario')).toBe(true);
  });

  it('pm.collectionVariables is the defaults scope when the context says so: below the environment, as in Postman', async () => {
    const variables = new FakeVariables({
      environment: { baseUrl: 'http://env.test' },
      defaults: { baseUrl: 'http://collection.test', page: 10 },
      global: { page: 99, only: 'global' },
    });
    const outcome = await sandbox.run(
      `pm.test('environment wins', () => pm.expect(pm.variables.get('baseUrl')).to.equal('http://env.test'));
       pm.test('collection value', () => pm.expect(pm.collectionVariables.get('baseUrl')).to.equal('http://collection.test'));
       pm.test('above globals', () => pm.expect(pm.variables.get('page')).to.equal(10));
       pm.collectionVariables.set('fresh', 'c');
       pm.test('set then get', () => pm.expect([pm.variables.get('fresh'), pm.collectionVariables.has('fresh')]).to.eql(['c', true]));
       pm.collectionVariables.unset('page');
       pm.test('unset shows the global', () => pm.expect(pm.variables.get('page')).to.equal(99));
       pm.test('toObject', () => pm.expect(pm.collectionVariables.toObject()).to.eql({ baseUrl: 'http://collection.test', fresh: 'c' }));
       pm.collectionVariables.set('late', 1);`,
      fakeContext({ variables, collectionScope: 'defaults' }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(outcome.assertions).toHaveLength(6);
    // The last write, still queued when the script ended, went to the same scope.
    expect(variables.get('late', 'defaults')).toBe(1);
    expect(variables.get('late', 'scenario')).toBeUndefined();
  });

  it('reads the merged view through pm.variables and one scope through the others', async () => {
    const variables = new FakeVariables({
      environment: { host: 'env.test', only: 'env' },
      local: { host: 'local.test' },
      data: { row: 7 },
    });
    const outcome = await sandbox.run(
      `pm.test('merged', () => pm.expect(pm.variables.get('host')).to.equal('local.test'));
       pm.test('scoped', () => pm.expect(pm.environment.get('host')).to.equal('env.test'));
       pm.test('has', () => pm.expect(pm.environment.has('only') && !pm.globals.has('only')).to.equal(true));
       pm.test('data', () => pm.expect(pm.iterationData.get('row')).to.equal(7));
       pm.test('toObject', () => pm.expect(pm.environment.toObject()).to.eql({ host: 'env.test', only: 'env' }));
       pm.test('replaceIn', () => pm.expect(pm.variables.replaceIn('https://{{host}}/x')).to.equal('https://local.test/x'));`,
      fakeContext({ variables }),
    );
    expect(outcome.assertions.map((a) => [a.name, a.passed, a.message])).toEqual([
      ['merged', true, undefined],
      ['scoped', true, undefined],
      ['has', true, undefined],
      ['data', true, undefined],
      ['toObject', true, undefined],
      ['replaceIn', true, undefined],
    ]);
  });

  it("resolves a scope's replaceIn from that scope only, as Postman does (pm.variables.replaceIn from all of them)", async () => {
    const variables = new FakeVariables({ environment: { user: 'alice', port: 8080 }, global: { g: 'G' } });
    const outcome = await sandbox.run(
      `console.log(pm.environment.replaceIn('{{user}}:{{port}}-{{g}}'), pm.globals.replaceIn('{{user}}-{{g}}'), pm.variables.replaceIn('{{user}}-{{g}}'));`,
      fakeContext({ variables }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['alice:8080-{{g}} {{user}}-G alice-G']);
  });

  it('unsets and clears a scope', async () => {
    const variables = new FakeVariables({ environment: { a: 1, b: 2 }, global: { g: 1, h: 2 } });
    await sandbox.run(`pm.environment.unset('a'); pm.globals.clear();`, fakeContext({ variables }));
    expect(variables.toObject('environment')).toEqual({ b: 2 });
    expect(variables.toObject('global')).toEqual({});
  });

  it('writes iteration data as postman-sandbox does: set, unset and clear reach the data scope, the script reads them back', async () => {
    const variables = new FakeVariables({ data: { row: 1, gone: 'x' } });
    const outcome = await sandbox.run(
      `pm.iterationData.set('row', 2); pm.iterationData.unset('gone'); pm.iterationData.set('extra', { a: 1 });
       console.log(pm.iterationData.get('row'), pm.variables.get('row'), pm.iterationData.has('gone'), JSON.stringify(pm.iterationData.toObject()));`,
      fakeContext({ variables }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['2 2 false {"row":2,"extra":{"a":1}}']);
    // The engine restores the row when the script ends (runScript); the sandbox only applies the writes.
    expect(variables.toObject('data')).toEqual({ row: 2, extra: { a: 1 } });
  });

  it('supports the legacy postman.setEnvironmentVariable', async () => {
    const variables = new FakeVariables();
    await sandbox.run(`postman.setEnvironmentVariable('token', 'abc'); postman.setGlobalVariable('g', 'x');`, fakeContext({ variables }));
    expect(variables.get('token', 'environment')).toBe('abc');
    expect(variables.get('g', 'global')).toBe('x');
  });

  it('the legacy setters store a truthy value as text, a falsy one as it is (postman-sandbox: 0 stays 0, 1 becomes "1")', async () => {
    const variables = new FakeVariables();
    await sandbox.run(
      `postman.setEnvironmentVariable('zero', 0); postman.setEnvironmentVariable('one', 1);
       postman.setEnvironmentVariable('no', false); postman.setEnvironmentVariable('empty', '');
       postman.setGlobalVariable('n', 5); postman.setGlobalVariable('o', { a: 1 });
       pm.environment.set('typed', 7);`,
      fakeContext({ variables }),
    );
    expect(variables.get('zero', 'environment')).toBe(0);
    expect(variables.get('one', 'environment')).toBe('1');
    expect(variables.get('no', 'environment')).toBe(false);
    expect(variables.get('empty', 'environment')).toBe('');
    expect(variables.get('n', 'global')).toBe('5');
    expect(variables.get('o', 'global')).toBe('[object Object]');
    expect(variables.get('typed', 'environment')).toBe(7);
  });
});
