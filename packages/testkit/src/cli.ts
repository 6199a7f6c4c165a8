/** Runs the built CLI (runner/dist/sortie.cjs) as a user would, in its own process, capturing output and exit code. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The built CLI bundle. */
export const CLI = join(ROOT, 'runner', 'dist', 'sortie.cjs');

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

/** A long-running CLI command (`sortie server`, `sortie agent`) started by `startCli`. */
export interface ServiceCli {
  child: ChildProcess;
  /** What `ready` matched on stderr. */
  match: RegExpMatchArray;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | NodeJS.Signals>;
}

/**
 * Starts a long-running `sortie <args>` and resolves once its stderr matches `ready` (rejects if it
 * exits before). The caller stops it (`child.kill`), e.g. in an `afterAll` over every child started.
 */
export async function startCli(args: string[], ready: RegExp, options: CliOptions = {}): Promise<ServiceCli> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = stderr.match(ready);
      if (found !== null) resolve(found);
    });
    void exited.then((code) => reject(new Error(`sortie ${args.join(' ')} exited with ${code} before ${ready}: ${stderr}`)));
  });
  return { child, match, stderr: () => stderr, exited };
}
