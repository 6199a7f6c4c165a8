/** Runs the built CLI (runner/dist/sortie.mjs) as a user would, capturing output and exit code. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'runner', 'dist', 'sortie.mjs');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Builds the CLI bundle once when it is missing (`pnpm test` builds it first anyway). */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'runner', 'build.mjs')], { stdio: 'inherit' });
}

export function runSortie(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
