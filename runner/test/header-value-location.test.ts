/**
 * A header whose value a header cannot carry (a line break from a `.env` value "abc\n def", a character
 * above U+00FF) is an error that names the header and the problem (RFC 9110 §5.5), never quotes the value
 * (it may be a secret), and points at the header, not at the URL; so does a header the client cannot send
 * at all (`Expect: 100-continue`). Golden in runner/test/golden/header-value-location.out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden'));
let dir: string;

const YAML = `name: header values
options: { onError: continue }
steps:
  - name: a line break
    request:
      url: http://127.0.0.1:9/items
      headers:
        Accept: application/json
        X-Tok: "{{API_TOKEN}}"
  - name: a character above U+00FF
    request:
      url: http://127.0.0.1:9/items
      headers: { x-price: "{{PRICE}}" }
  - name: a header the client cannot send
    request:
      method: POST
      url: http://127.0.0.1:9/items
      headers:
        Expect: 100-continue
      body: { text: hello }
`;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-header-value-'));
  await writeFile(join(dir, 'headers.yaml'), YAML);
  await writeFile(join(dir, '.env'), 'API_TOKEN="tok-secret-81\\n def"\nPRICE="10 €"\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a header value a header cannot carry', () => {
  it('names the header and the problem, and points at the header', async () => {
    const result = await runSortie(['run', 'headers.yaml', '--variables-file', '.env', '--no-color'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('tok-secret-81');
    expect(result.stdout).not.toContain('invalid X-Tok header');
    const places = result.stdout.split('\n').filter((line) => line.includes('--> '));
    expect(places.map((line) => line.trim())).toEqual(['--> headers.yaml:9:16', '--> headers.yaml:13:27', '--> headers.yaml:19:17']);
    golden('header-value-location.out', normaliseText(result.stdout));
  });
});
