/**
 * Input nested absurdly deep (100,000 `[`, in JSON and in YAML, flow or block) is invalid input: exit
 * 2 with the file, line and column, never a stack overflow reported as an internal error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, expectGolden, ROOT, runSortie } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DEPTH = 100_000;
let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sortie-deep-'));
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const FILES: Record<string, string> = {
  'brackets.json': '['.repeat(DEPTH),
  'closed.json': `{"name":"deep","steps":[],"variables":{"v":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}`,
  'brackets.yaml': `name: deep\nsteps: []\nvariables:\n  v: ${'['.repeat(DEPTH)}\n`,
  'block.yaml': `name: deep\nsteps: []\nvariables:\n  v:\n    ${'- '.repeat(DEPTH)}a\n`,
};

describe('100,000 nested brackets', () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`${name}: exit 2 with a location, from run and from validate`, async () => {
      const file = join(dir, name);
      writeFileSync(file, text);
      for (const command of ['run', 'validate']) {
        const result = await runSortie([command, file], { cwd: dir });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).not.toMatch(/internal error|call stack|RangeError/i);
        expect(result.stderr).toMatch(new RegExp(`${name.replace('.', '\\.')}:\\d+:\\d+`));
        expectGolden(join(ROOT, 'runner', 'test', 'golden', `deep-${name}.${command}.err`), result.stderr.replaceAll(dir, '<dir>'));
      }
    });
  }
});
