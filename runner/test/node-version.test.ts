/**
 * An older Node.js than package.json's `engines.node` (npm only warns about it): the built CLI says so
 * in one line and exits 2 before anything else, instead of failing inside a run with a stack trace.
 * The CLI runs in its own process, its `process.versions.node` changed by a preloaded module (this
 * machine has one Node.js).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ensureBuilt, ROOT } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE, olderThan } from '../src/node-version.js';

const ENGINES = (JSON.parse(readFileSync(join(ROOT, 'runner', 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-node-version-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the built CLI as if on Node.js `version`. */
function sortieOn(version: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const preload = join(work, `node-${version}.cjs`);
  writeFileSync(preload, `Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });\n`);
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', preload, CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('the Node.js version the CLI starts on', () => {
  it("is package.json's engines.node", () => {
    expect(ENGINES).toBe(`>=${MIN_NODE}`);
  });

  it('compares major, minor and patch as numbers', () => {
    expect(olderThan('18.20.4', '20.18.1')).toBe(true);
    expect(olderThan('20.9.0', '20.18.1')).toBe(true);
    expect(olderThan('v20.18.0', '20.18.1')).toBe(true);
    expect(olderThan('20.18.1', '20.18.1')).toBe(false);
    expect(olderThan('20.18.10', '20.18.1')).toBe(false);
    expect(olderThan('22.0.0', '20.18.1')).toBe(false);
    expect(olderThan('100.0.0', '20.18.1')).toBe(false);
  });

  it('an older Node.js: one error and a hint, exit code 2, nothing run', async () => {
    for (const version of ['18.20.4', '20.18.0']) {
      const outcome = await sortieOn(version, ['run', join(ROOT, 'fixtures', 'scenarios', 'ok', 'login-and-items.json')]);
      expect(outcome.code, version).toBe(2);
      expect(outcome.stdout, version).toBe('');
      expect(outcome.stderr, version).toBe(
        `error: sortie needs Node.js ${MIN_NODE} or later; this is Node.js ${version}\n` +
          '  hint: install a current Node.js LTS (https://nodejs.org), or switch with nvm, fnm or volta\n',
      );
    }
  });

  it('the oldest supported Node.js starts as usual', async () => {
    const outcome = await sortieOn(MIN_NODE, ['--version']);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(/^sortie \d+\.\d+\.\d+/);
  });
});
