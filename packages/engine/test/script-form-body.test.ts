/**
 * A pre-request script and a form body (Postman's urlencoded and formdata modes) or a GraphQL body:
 * the script reads the fields (the query) as written; an unchanged body is sent byte for byte as
 * without the script, a changed one carries the change. Against the fixture server's /echo.
 */
import { Redactor, type RunEvent, ScenarioSchema } from '@sortie/core';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../src/index.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

/** Logs what /echo received: its Content-Type, then its body. */
const ECHO = "const e = pm.response.json(); console.log(e.headers['content-type']); console.log(e.body);";

/** Runs one request step with `pre` scripts; returns the step's log lines (the pre scripts' first). */
async function send(body: unknown, pre: string[]): Promise<string[]> {
  const events: RunEvent[] = [];
  const step = {
    name: 'Form',
    request: { method: 'POST', url: '{{base}}/echo', body },
    pre: pre.map((script) => ({ script })),
    post: [{ script: ECHO }],
  };
  await runScenarios({
    scenarios: [
      { value: ScenarioSchema.parse({ name: 'forms', variables: { sig: 'none' }, steps: [step] }), file: 'forms.json', dir: process.cwd() },
    ],
    envVars: { base: server.url },
    redactor: new Redactor(),
    onEvent: (event) => events.push(event),
  });
  const end = events.find((event) => event.type === 'step:end');
  if (end?.type !== 'step:end') throw new Error('no step:end');
  expect(end.result.status).toBe('passed');
  return (end.result.logs ?? []).map((line) => line.message);
}

/** A multipart body with its random boundary named `BOUNDARY`. */
function fixedBoundary(lines: string[]): string[] {
  const boundary = /boundary=(\S+)/.exec(lines.join('\n'))?.[1] ?? 'none';
  return lines.map((line) => line.split(boundary).join('BOUNDARY'));
}

describe('a pre-request script and a form body', () => {
  const form = { form: { a: ['x y', '2'], sig: '{{sig}}', z: 'é&=' } };

  it('reads a form body (urlencoded) as written, and an unchanged one is sent byte for byte', async () => {
    const read = `const b = pm.request.body;
      console.log(b.mode, b.urlencoded.get('a'), JSON.stringify(b.urlencoded.toObject()), b.toString());`;
    const without = await send(form, []);
    const withScript = await send(form, [read]);
    expect(withScript).toEqual([`urlencoded 2 {"a":["x y","2"],"sig":"{{sig}}","z":"é&="} a=x y&a=2&sig={{sig}}&z=é%26=`, ...without]);
    expect(without).toEqual(['application/x-www-form-urlencoded', 'a=x%20y&a=2&sig=none&z=%C3%A9%26%3D']);
  });

  it('sends the fields a script upserted, added and removed; values are still rendered', async () => {
    const lines = await send(form, [
      `const f = pm.request.body.urlencoded;
       f.upsert({ key: 'sig', value: '{{signed}}' });
       f.add({ key: 'n', value: 7 });
       f.add({ key: 'a', value: '3' });
       f.remove('z');
       pm.variables.set('signed', 'abc');`,
    ]);
    expect(lines).toEqual(['application/x-www-form-urlencoded', 'a=x%20y&a=2&a=3&sig=abc&n=7']);
  });

  it('a form whose every field is removed is sent without a body', async () => {
    // No Content-Type and an empty body reached the server.
    expect(await send(form, ['pm.request.body.urlencoded.clear();'])).toEqual(['undefined', '']);
  });

  it('reads a multipart body as formdata; unchanged it is sent as without the script, changed it carries the change', async () => {
    const multipart = {
      multipart: [
        { name: 'name', value: 'ann' },
        { name: 'n', value: 1 },
      ],
    };
    const read = `const b = pm.request.body;
      console.log(b.mode, b.formdata.get('name'), JSON.stringify(b.formdata.all()), JSON.stringify(b.toString()));`;
    const without = fixedBoundary(await send(multipart, []));
    const withScript = fixedBoundary(await send(multipart, [read]));
    expect(withScript).toEqual([
      'formdata ann [{"key":"name","value":"ann","type":"text"},{"key":"n","value":"1","type":"text"}] ""',
      ...without,
    ]);
    expect(without[1]).toContain('name="name"\r\n\r\nann\r\n');
    const changed = await send(multipart, ["pm.request.body.formdata.upsert({ key: 'name', value: 'bob' });"]);
    expect(changed[0]).toMatch(/^multipart\/form-data; boundary=/);
    expect(changed[1]).toContain('name="name"\r\n\r\nbob\r\n');
    expect(changed[1]).toContain('name="n"\r\n\r\n1\r\n');
  });
});

describe('a pre-request script and a GraphQL body', () => {
  const graphql = { graphql: { query: 'query Item($id: ID!) { item(id: $id) { name } }', variables: { id: '{{sig}}' } } };

  it("reads it as Postman's graphql mode, and an unchanged one is sent byte for byte", async () => {
    const read = `const b = pm.request.body;
      console.log(b.mode, b.graphql.query, JSON.stringify(b.graphql.variables), JSON.stringify(b.toString()), b.isEmpty());`;
    const without = await send(graphql, []);
    const withScript = await send(graphql, [read]);
    expect(withScript).toEqual([`graphql ${graphql.graphql.query} {"id":"{{sig}}"} "" false`, ...without]);
    expect(without).toEqual(['application/json', '{"query":"query Item($id: ID!) { item(id: $id) { name } }","variables":{"id":"none"}}']);
  });

  it('sends the query and variables a script changed (variables as JSON text too), still rendered', async () => {
    const lines = await send(graphql, [
      `pm.request.body.graphql.query = '{ items { id } }';
       pm.request.body.update({ mode: 'graphql', graphql: { query: pm.request.body.graphql.query, variables: '{"n": "{{sig}}"}' } });`,
    ]);
    expect(lines).toEqual(['application/json', '{"query":"{ items { id } }","variables":{"n":"none"}}']);
  });

  it('sends the raw text a script put in place of the GraphQL body', async () => {
    expect(await send(graphql, ["pm.request.body.update('plain');"])).toEqual(['application/json', 'plain']);
  });
});
