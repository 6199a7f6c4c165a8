/**
 * `pm.request.body.options.raw.language` of a text body, in pre-request and test scripts, as Newman
 * gives it from a collection's `options.raw.language`: scripts that branch on it must not throw.
 * Against the fixture server's /echo.
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

const SHOW = 'console.log(pm.info.eventName, JSON.stringify(pm.request.body.options), JSON.stringify(pm.request.body.toJSON().options));';

/** Runs one request step with a script before and after; returns the step's log lines. */
async function logs(request: Record<string, unknown>): Promise<string[]> {
  const events: RunEvent[] = [];
  const step = {
    name: 'Body',
    request: { method: 'POST', url: '{{base}}/echo', ...request },
    pre: [{ script: SHOW }],
    post: [{ script: SHOW }],
  };
  await runScenarios({
    scenarios: [{ value: ScenarioSchema.parse({ name: 'options', steps: [step] }), file: 'options.json', dir: process.cwd() }],
    envVars: { base: server.url },
    redactor: new Redactor(),
    onEvent: (event) => events.push(event),
  });
  const end = events.find((event) => event.type === 'step:end');
  if (end?.type !== 'step:end') throw new Error('no step:end');
  expect(end.result.error).toBeUndefined();
  return (end.result.logs ?? []).map((line) => line.message);
}

describe('pm.request.body.options of a raw body', () => {
  it('gives language json for a json body, as Newman does for options.raw.language json', async () => {
    const json = '{"raw":{"language":"json"}}';
    expect(await logs({ body: { json: { a: 1 } } })).toEqual([`prerequest ${json} ${json}`, `test ${json} ${json}`]);
  });

  it('follows the content type: xml, html, a Content-Type header, plain text', async () => {
    const language = (lines: string[]) => lines.map((line) => JSON.parse(line.split(' ')[1] ?? 'null').raw.language);
    expect(language(await logs({ body: { xml: '<a/>' } }))).toEqual(['xml', 'xml']);
    expect(language(await logs({ body: { text: '<p/>', contentType: 'text/html' } }))).toEqual(['html', 'html']);
    expect(language(await logs({ headers: { 'Content-Type': 'application/vnd.api+json' }, body: { text: '{}' } }))).toEqual([
      'json',
      'json',
    ]);
    expect(language(await logs({ body: { text: 'hi' } }))).toEqual(['text', 'text']);
  });

  it('has no options for a form body, as Newman', async () => {
    expect(await logs({ body: { form: { a: '1' } } })).toEqual(['prerequest undefined undefined', 'test undefined undefined']);
  });
});
