/**
 * `--folder` on a native Sortie scenario narrows its steps without rewriting the file: an error in a
 * selected step (found while validating, or while running) names the user's file, line and column,
 * in YAML and in JSON. Goldens in runner/test/golden/folder/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, normaliseText, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(ROOT, 'runner', 'test', 'golden', 'folder'));
let dir: string;

// The error sits in the second group's second step: selecting it moves it to steps[0].group.steps[0].
const YAML = `name: folder locations
steps:
  - name: setup
    request:
      url: http://127.0.0.1:9/setup
  - name: catalogue
    group:
      steps:
        - name: list
          request:
            url: http://127.0.0.1:9/list
        - name: detail
          request:
            url: "http://127.0.0.1:9/{{$nope}}"
`;

const JSON_TEXT = `{
  "name": "folder locations",
  "steps": [
    { "name": "setup", "request": { "url": "http://127.0.0.1:9/setup" } },
    {
      "name": "catalogue",
      "group": {
        "steps": [
          { "name": "list", "request": { "url": "http://127.0.0.1:9/list" } },
          { "name": "detail", "request": { "url": "http://127.0.0.1:9/{{$nope}}" } }
        ]
      }
    }
  ]
}
`;

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'sortie-folder-locations-'));
  await writeFile(join(dir, 'invalid.yaml'), YAML);
  await writeFile(join(dir, 'invalid.json'), JSON_TEXT);
  // At run time: a variable nobody defines, in the selected step.
  await writeFile(
    join(dir, 'unresolved.yaml'),
    YAML.replace('{{$nope}}', '{{missingVar}}').replace('    request:\n      url: http://127.0.0.1:9/setup', '    wait: 1'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--folder on a Sortie scenario keeps the user positions', { timeout: 60_000 }, () => {
  it.each(['invalid.yaml', 'invalid.json'])('a validation error in a selected step of %s', async (file) => {
    const whole = await runSortie(['run', file, '--no-color'], { cwd: dir });
    const selected = await runSortie(['run', file, '--folder', 'detail', '--no-color'], { cwd: dir });
    expect(selected.code).toBe(2);
    expect(selected.stdout).toBe('');
    golden(`${file}.err`, selected.stderr);
    // The same line:column and path as without --folder.
    expect(selected.stderr).toBe(whole.stderr);
  });

  it('a run error in a step of a selected group (two folders selected)', async () => {
    const result = await runSortie(['run', 'unresolved.yaml', '--folder', 'setup', '--folder', 'detail', '--no-color'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('unresolved.yaml:13:18');
    golden('unresolved.yaml.out', normaliseText(result.stdout));
  });
});
