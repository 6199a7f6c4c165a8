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

// A step inside a forEach inside a loop: --folder reaches it, the loops around it run with their
// own settings (count, items, teardown) and only it inside; its error keeps its line and column.
const LOOPS_YAML = `name: folder in loops
steps:
  - name: outside
    wait: 1
  - name: rounds
    loop:
      count: 2
      steps:
        - name: not selected
          wait: 1
        - name: sizes
          forEach:
            items: [s, m]
            as: size
            steps:
              - name: other
                wait: 1
              - name: pick {{size}}
                wait: "{{delay}}"
      teardown:
        - name: round done
          wait: 1
`;

beforeAll(async () => {
  await writeFile(join(dir, 'loops.yaml'), LOOPS_YAML);
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

  it('a step inside a loop and a forEach is found, and runs alone in every pass', async () => {
    const result = await runSortie(['run', 'loops.yaml', '--folder', 'pick {{size}}', '--no-color'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    // The unresolved {{delay}} is at line 19, column 23 of the file as written.
    expect(result.stdout).toContain('loops.yaml:19:23');
    expect(result.stdout).not.toContain('not selected');
    expect(result.stdout).not.toContain('other');
    expect(result.stdout).not.toContain('outside');
    golden('loops.yaml.out', normaliseText(result.stdout));
  });

  it('a forEach inside a loop is found by its name and runs whole', async () => {
    const result = await runSortie(['run', 'loops.yaml', '--folder', 'sizes', '--no-color', '--env-var', 'delay=1'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const round of [0, 1]) {
      for (const [n, size] of ['s', 'm'].entries()) {
        expect(result.stdout).toContain(`rounds[${round}] › sizes[${n}] › other`);
        expect(result.stdout).toContain(`rounds[${round}] › sizes[${n}] › pick ${size}`);
      }
      expect(result.stdout).toContain(`rounds[${round}] › teardown › round done`);
    }
    expect(result.stdout).not.toContain('not selected');
  });
});
