/**
 * YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`), as docker-compose and Kubernetes files use them,
 * in a project's files: the scenario, the environment and the project file, run against the fixture
 * API; an error in a merged value is reported where it is written (the anchor), a merge of something
 * other than a mapping at the merge.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: FixtureServer;
let work: string;

beforeAll(async () => {
  ensureBuilt();
  server = await startFixtureServer();
  work = mkdtempSync(join(tmpdir(), 'sortie-merge-keys-'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

function write(path: string, lines: string[]): void {
  const file = join(work, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('YAML merge keys', () => {
  it('merges mappings in the scenario, the environment and the project file; the mapping’s own keys win', async () => {
    write('sortie.config.yaml', ['defaultEnvironment: dev', 'http:', '  <<: {cookies: true, http2: false}', '  http2: false']);
    write('environments/dev.yaml', ['name: dev', 'variables:', '  <<: {team: core, base: "http://127.0.0.1:9"}', `  base: ${server.url}`]);
    write('scenarios/merged.yaml', [
      'name: Merge keys',
      'steps:',
      '  - name: first',
      '    request: &get',
      '      method: GET',
      '      url: "{{base}}/echo/first"',
      '      headers: &headers',
      '        Accept: application/json',
      '        X-Team: "{{team}}"',
      '    post:',
      '      - assert: { jsonpath: { path: "$.headers[\'x-team\']", equals: core } }',
      '  - name: second',
      '    request:',
      '      <<: *get',
      '      url: "{{base}}/echo/second"',
      '      headers:',
      '        <<: *headers',
      '        X-Team: edge',
      '    post:',
      '      - assert: { jsonpath: { path: "$.path", equals: /echo/second } }',
      '      - assert: { jsonpath: { path: "$.headers[\'x-team\']", equals: edge } }',
      '      - assert: { jsonpath: { path: "$.headers.accept", equals: application/json } }',
    ]);
    const ran = await runSortie(['run', 'scenarios', '--no-color'], { cwd: work });
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toContain('Assertions  4 (0 failed)');
    expect(ran.code).toBe(0);
  });

  it('reports an invalid merged value where it is written, and a merge of a list at the merge', async () => {
    write('bad/merged-error.yaml', [
      'name: Bad',
      'steps:',
      '  - name: first',
      '    request: &req',
      '      method: GET',
      '      url: /a',
      '      timeout: fast',
      '  - name: second',
      '    request:',
      '      <<: *req',
      '      url: /b',
    ]);
    const invalid = await runSortie(['validate', 'bad/merged-error.yaml', '--no-color'], { cwd: work });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).not.toContain('"<<"');
    expect(invalid.stderr).toContain('bad/merged-error.yaml:7:16  $.steps[0].request.timeout');
    expect(invalid.stderr).toContain('bad/merged-error.yaml:7:16  $.steps[1].request.timeout');
    write('bad/merge-list.yaml', [
      'name: Bad',
      'steps:',
      '  - name: first',
      '    request: &req',
      '      method: GET',
      '      url: /a',
      '  - name: second',
      '    request:',
      '      <<: [*req, /b]',
    ]);
    const list = await runSortie(['validate', 'bad/merge-list.yaml', '--no-color'], { cwd: work });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('bad/merge-list.yaml:9:18');
    expect(list.stderr).toContain('a merge key (<<) takes a mapping, an alias of one, or a list of them');
  });
});
