/**
 * A variable nobody defines makes its request step an error; the excerpt under the error points at the
 * template that names it — a header, a query parameter, the body — not at the URL whatever the place.
 * Golden in runner/test/golden/unresolved-location.out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden'));
let dir: string;

const YAML = `name: unresolved variables
options: { onError: continue }
steps:
  - name: in a header
    request:
      url: http://127.0.0.1:9/items
      headers:
        X-Trace: "{{traceId}}"
  - name: in the query
    request:
      url: http://127.0.0.1:9/items
      query: { page: 1, owner: "{{user.id}}" }
  - name: in the body
    request:
      method: POST
      url: http://127.0.0.1:9/items
      body:
        json: { items: [{ name: "a" }, { name: "{{ itemName | upper }}" }] }
  - name: in the URL
    request:
      url: http://127.0.0.1:9/items/{{itemId}}
      headers: { X-Item: "{{itemId}}" }
`;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-unresolved-'));
  await writeFile(join(dir, 'unresolved.yaml'), YAML);
  await writeFile(join(dir, 'auth.yaml'), AUTH_YAML);
});

const AUTH_YAML = `name: unresolved in an auth profile
auth:
  profiles:
    api:
      type: bearer
      token: "{{NO_SUCH_TOKEN}}"
  use: api
steps:
  - name: get
    request:
      url: http://127.0.0.1:9/items
`;

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an unresolved variable in a request', () => {
  it('is pointed at where it is written', async () => {
    const result = await runSortie(['run', 'unresolved.yaml', '--no-color'], { cwd: dir });
    expect(result.code).toBe(1);
    const places = result.stdout.split('\n').filter((line) => line.includes('--> '));
    expect(places.map((line) => line.trim())).toEqual([
      '--> unresolved.yaml:8:18',
      '--> unresolved.yaml:12:32',
      '--> unresolved.yaml:18:48',
      '--> unresolved.yaml:21:12',
    ]);
    golden('unresolved-location.out', normaliseText(result.stdout));
  });

  it("is pointed at the scenario's auth profile field that names it, not at the URL", async () => {
    const result = await runSortie(['run', 'auth.yaml', '--no-color'], { cwd: dir });
    expect(result.code).toBe(1);
    const places = result.stdout.split('\n').filter((line) => line.includes('--> '));
    expect(places.map((line) => line.trim())).toEqual(['--> auth.yaml:6:14']);
    golden('unresolved-location-auth.out', normaliseText(result.stdout));
  });
});
