import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type ScriptRequest } from '../src/index.js';
import { FakeVariables, fakeContext, fakeResponse } from './fakes.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox();
});
afterAll(() => sandbox.dispose());

describe('queued variable writes', () => {
  it('are visible to reads, has, toObject and replaceIn later in the same script, in write order', async () => {
    const variables = new FakeVariables({ environment: { gone: 1, keep: 'x' } });
    const outcome = await sandbox.run(
      `pm.environment.set('a', 1); pm.environment.set('a', { n: 2 }); pm.environment.unset('gone');
       console.log(JSON.stringify(pm.environment.get('a')), pm.environment.has('gone'));
       pm.collectionVariables.set('host', 'h.test');
       console.log(pm.variables.replaceIn('{{host}}'), JSON.stringify(pm.collectionVariables.toObject()));
       pm.globals.set('g', 1); pm.globals.clear(); pm.globals.set('g2', undefined);`,
      fakeContext({ variables }),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.logs.map((l) => l.message)).toEqual(['{"n":2} false', 'h.test {"host":"h.test"}']);
    expect(variables.toObject('environment')).toEqual({ a: { n: 2 }, keep: 'x' });
    expect(variables.scopes.get('global')).toEqual(new Map([['g2', null]]));
  });

  it('keep the value as it was when set', async () => {
    const variables = new FakeVariables();
    await sandbox.run(`const o = { n: 1 }; pm.environment.set('o', o); o.n = 2;`, fakeContext({ variables }));
    expect(variables.get('o', 'environment')).toEqual({ n: 1 });
  });

  it('are applied when the script throws afterwards and when they happen in a timer', async () => {
    const variables = new FakeVariables();
    const outcome = await sandbox.run(
      `setTimeout(() => pm.environment.set('late', true), 5);
       pm.environment.set('early', true);
       await new Promise((resolve) => setTimeout(resolve, 20));
       throw new Error('after the writes');`,
      fakeContext({ variables }),
    );
    expect(outcome.error?.message).toContain('after the writes');
    expect(variables.toObject('environment')).toEqual({ late: true, early: true });
  });

  it('reach the host before pm.sendRequest runs', async () => {
    const variables = new FakeVariables();
    const seen: unknown[] = [];
    const sendRequest = async (_request: ScriptRequest | string) => {
      seen.push(variables.get('token', 'environment'));
      return fakeResponse({ ok: true });
    };
    const outcome = await sandbox.run(
      `pm.environment.set('token', 't-1'); await pm.sendRequest('http://api.test/ping');`,
      fakeContext({ variables, sendRequest }),
    );
    expect(outcome.error).toBeUndefined();
    expect(seen).toEqual(['t-1']);
  });

  it('turn a failing host write into a script error', async () => {
    const variables = new FakeVariables();
    variables.set = () => {
      throw new Error('variable store is read-only');
    };
    const outcome = await sandbox.run(`pm.environment.set('x', 1);`, fakeContext({ variables }));
    expect(outcome.error?.message).toContain('variable store is read-only');
  });
});
