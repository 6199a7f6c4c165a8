/**
 * Parameters are sent as the description serialises them (OpenAPI 3.0.3 §4.7.12.4 style values,
 * RFC 6570 §3.2): an array path parameter is `3,4,5`, not the JSON `[3,4,5]`; a deepObject query
 * parameter is `filter[color]=red`, not `filter={"color":"red"}`.
 */
import { join } from 'node:path';
import { ROOT } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';

const SPEC = join(ROOT, 'fixtures', 'import-cases', 'parameter-styles.yaml');

async function stepsOf(name: string): Promise<{ variables: Record<string, unknown>; request: Record<string, unknown> }> {
  const result = await importOpenApi(SPEC, { outDir: join(ROOT, 'out'), cwd: ROOT });
  const scenario = result.files.find((file) => file.path === `scenarios/${name}`)?.value as {
    variables: Record<string, unknown>;
    steps: Array<{ request: Record<string, unknown> }>;
  };
  return { variables: scenario.variables, request: scenario.steps[0]?.request ?? {} };
}

describe('sortie import openapi: parameter style and explode', () => {
  it('serialises query, header and cookie parameters by their style', async () => {
    const { variables, request } = await stepsOf('items');
    expect(variables).toEqual({ ids: '3,4,5' });
    expect(request.url).toBe('/items/{{ids}}');
    expect(request.query).toEqual({
      tags: 'a,b',
      multi: ['x', 'y'],
      'filter[color]': 'red',
      'filter[size]': '2',
      lat: '1',
      lon: '2',
      sp: 'p q',
      pd: 'p|q',
      limit: 20,
      raw: '{"k":"v"}',
    });
    expect(request.headers).toEqual({ 'X-Ids': '1,2', 'X-Obj': 'a=1,b=2', Cookie: 'prefs=dark,wide' });
  });

  it('serialises matrix and label path parameters, and a form object that does not explode', async () => {
    const { variables, request } = await stepsOf('m');
    expect(variables).toEqual({ m: ';m=a;m=b', l: '.y,z' });
    expect(request.url).toBe('/m/{{m}}/{{l}}');
    expect(request.query).toEqual({ mo: 'R,100,G,200' });
  });
});

describe('sortie import openapi: reserved characters in a path parameter', () => {
  it('are percent-encoded: "a/b c?d#e" is one path segment (it was sent as /files/a/b%20c?d, the rest lost)', async () => {
    const result = await importOpenApi(join(ROOT, 'fixtures', 'import-cases', 'path-reserved.yaml'), {
      outDir: join(ROOT, 'out'),
      cwd: ROOT,
    });
    const scenario = result.files.find((file) => file.path === 'scenarios/files')?.value as {
      variables: Record<string, unknown>;
      steps: Array<{ request: Record<string, unknown> }>;
    };
    expect(scenario.variables).toEqual({ name: 'a%2Fb%20c%3Fd%23e' });
    // A query value is encoded when it is sent: it is written as it is.
    expect(scenario.steps[0]?.request.query).toEqual({ q: 'x&y=z' });
  });
});
