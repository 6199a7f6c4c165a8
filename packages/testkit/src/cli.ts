/** Runs the built CLI (runner/dist/sortie.mjs) as a user would, in its own process, capturing output and exit code. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The built CLI bundle. */
export const CLI = join(ROOT, 'runner', 'dist', 'sortie.mjs');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Added to the process environment (colours are always off). */
  env?: Record<string, string>;
}

/** Builds the CLI bundle once when it is missing (`pnpm test` builds it first anyway). */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync(process.execPath, [join(ROOT, 'runner', 'build.mjs')], { stdio: 'inherit' });
}

/** A CLI process the test can watch while it runs (a sign-in prompt on stderr), and its outcome. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  done: Promise<CliOutcome>;
}

/** Starts `sortie <args>`. */
export function startSortie(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const done = new Promise<CliOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return { stdout: () => stdout, stderr: () => stderr, done };
}

/** Runs `sortie <args>` to the end. */
export function runSortie(args: string[], options: CliOptions = {}): Promise<CliOutcome> {
  return startSortie(args, options).done;
}
