/**
 * A script error points at the line and column that threw in the scenario file, whatever way the
 * script is written inline: a JSON string with `\n` escapes, a YAML literal block (`|`, `|-`), a YAML
 * double-quoted string, a processor's or a step's script. (A Postman collection's `exec` array of
 * lines: runner/test/postman.test.ts.) Before, the caret went under the whole script.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sortie-script-location-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The 1-based line and column of `needle` (its first occurrence at or after line `from`). */
function place(text: string, needle: string, from = 1): string {
  const lines = text.split('\n');
  for (let at = from - 1; at < lines.length; at++) {
    const column = lines[at]?.indexOf(needle) ?? -1;
    if (column >= 0) return `${at + 1}:${column + 1}`;
  }
  throw new Error(`${needle} not found`);
}

describe('script error locations in the scenario file', () => {
  it('points into a YAML literal block and a double-quoted YAML string', async () => {
    const text = `name: yaml scripts
options: { onError: continue }
steps:
  - name: block
    script: |
      const a = 1;
      a.b.c = 2;
  - name: source
    script:
      name: named
      source: |-
        // first

          let x;
          x.y;
  - name: quoted
    script: "const q = 1;\\nq.r.s = 1;"
  - name: processor
    script: "1"
    post:
      - script: |
          console.log(1);
          undefinedThing();
`;
    writeFileSync(join(dir, 'scripts.yaml'), text);
    const result = await runSortie(['run', 'scripts.yaml', '--no-color'], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('failed at block:2:4:');
    expect(result.stdout).toContain(`--> scripts.yaml:${place(text, '.c = 2;')}`);
    expect(result.stdout).toContain('failed at named:4:4:');
    expect(result.stdout).toContain(`--> scripts.yaml:${place(text, '.y;')}`);
    expect(result.stdout).toContain('failed at quoted:2:4:');
    expect(result.stdout).toContain(`--> scripts.yaml:${place(text, '.s = 1;')}`);
    expect(result.stdout).toContain(`--> scripts.yaml:${place(text, 'undefinedThing();')}`);
  });

  it('points into a JSON string, escapes counted as written', async () => {
    const scenario = {
      name: 'json scripts',
      steps: [{ name: 'escaped', script: { source: 'const s = "\\u00e9\\t";\nconst o = {};\n  o.x.y = 2;', name: 'escaped' } }],
    };
    const text = JSON.stringify(scenario, null, 2);
    writeFileSync(join(dir, 'scripts.json'), text);
    const result = await runSortie(['run', 'scripts.json', '--no-color', '-r', 'json', '--out-dir', join(dir, 'out')], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    const [line, column] = place(text, '.y = 2;').split(':').map(Number);
    expect(report.scenarios[0].steps[0].error.message).toContain('failed at escaped:3:6:');
    expect(report.scenarios[0].steps[0].location).toMatchObject({ line, column });
  });
});
