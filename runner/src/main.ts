#!/usr/bin/env node
/** The `sortie` executable: wires the CLI to the process. The only place that touches stdout/stderr. */
import { existsSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { createChunkLoader } from './code-cache.js';
import { unsupportedNode } from './node-version.js';
import { tierUpSooner } from './tiering.js';
import { capYoungGeneration } from './young-generation.js';

// An older Node.js than package.json's engines (npm only warns): said in one line, exit code 2.
const tooOld = unsupportedNode();
if (tooOld !== undefined) {
  process.stderr.write(tooOld);
  process.exit(2);
}

// The built CLI loads the CommonJS copies of its chunks (the only form the package ships) through a
// V8 code cache of its own (code-cache.ts), on every Node version; from source, the ES modules. Node
// >= 22.1 also keeps V8's compiled code of the modules it loads itself (packages outside the bundle)
// on disk (NODE_COMPILE_CACHE says where; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// WebAssembly (undici's HTTP parser, the QuickJS script sandbox) runs on V8's baseline compiler only.
// With TurboFan allowed, the first request alone starts ~120 ms of background compilation of
// undici's parser (--no-wasm-tier-up does not stop it), on a machine whose other core serves or
// scripts: the first scripted step waited ~200 ms for the sandbox and the second request ~100 ms.
// Baseline-only: +8% for 2,000 scripted steps, +4% for plain ones (see BENCHMARKS.md). Set before
// any WebAssembly module is compiled.
setFlagsFromString('--liftoff-only');

// A user's regular expression (regex selectors, `matches`, token patterns) that backtracks too much
// goes on in V8's linear-time engine, when that engine can run it: such a pattern cannot hang a run,
// and it runs without the time-limited context the others need (packages/extract/src/run-pattern.ts).
// Set here, before any chunk is compiled: V8 stamps its flags into the code cache (code-cache.ts).
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

// The bundle carries the sandbox's script libraries in ./dist-libs (see build.mjs); the run is told so.
const sandboxLibs = fileURLToPath(new URL('./dist-libs/', import.meta.url));
/** The folder of the built CLI (dist), whose cjs/ holds its modules; from source, src. */
const distDir = fileURLToPath(new URL('.', import.meta.url));
// A closed pipe (`sortie run … | head`): the rest of the output is dropped quietly, and the run still
// finishes — reports and exports are written — instead of dying with a stack trace.
let stdoutClosed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else throw error;
});

// SIGINT (Ctrl-C) and SIGTERM (what CI systems and container runtimes send) stop the run the same
// way: the current step finishes, nothing else starts, the reports are written (status `interrupted`).
// The handler then goes, so a second signal takes its default action and ends the process at once
// (status 130 or 143), even while a script keeps the main thread busy, which a listener would wait for.
// Until a command says it stops gracefully (terminal.stopsGracefully: `run` once its inputs are loaded,
// the agent, the server), there is nothing to finish: the first signal ends the process at once, so
// one waiting on input (a slow disk, a pipe) or one that only reads and writes files never outlives it.
const controller = new AbortController();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let graceful = false;
/** The command says itself what stopping does (`sortie agent`, `sortie server`). */
let commandSaysStopping = false;
const onStopSignal = (signal: NodeJS.Signals): void => {
  for (const name of STOP_SIGNALS) process.off(name, onStopSignal);
  if (!graceful) {
    process.stderr.write(`\nInterrupted${signal === 'SIGINT' ? '' : ` (${signal})`}: nothing had started, quitting\n`);
    process.kill(process.pid, signal);
    return;
  }
  const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal';
  if (!commandSaysStopping)
    process.stderr.write(`\nInterrupted${signal === 'SIGINT' ? '' : ` (${signal})`}: finishing the current step (${again} to quit now)\n`);
  controller.abort();
};
for (const name of STOP_SIGNALS) process.on(name, onStopSignal);

// A long run must not grow V8's young generation past what a short one uses (see young-generation.ts).
capYoungGeneration();

// A process warning a dependency emits (pg-connection-string's nine lines about `sslmode=require`) is one
// line of the CLI's, not Node's block with its pid and `--trace-warnings` advice in the middle of a
// run's output. `--no-warnings` / NODE_NO_WARNINGS=1 (Node then has no listener of its own) keep them off.
if (process.listenerCount('warning') > 0) {
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error) => {
    const [first = ''] = warning.message.split('\n', 1);
    process.stderr.write(`warning: ${first.trim()}\n`);
  });
}

// No top-level await: the built CLI's entry is a CommonJS file (dist/sortie.cjs; build.mjs), which
// starts without Node's ES module loader.
void main();

/**
 * The CLI's module, or undefined when it cannot be loaded: the installed package is broken (a file
 * of it missing, an interrupted install), which is said on stderr in a few lines, never a stack trace.
 */
async function loadCli(chunks: ReturnType<typeof createChunkLoader>): Promise<typeof import('./cli.js') | undefined> {
  try {
    if (chunks !== undefined) return chunks.loader.load(chunks.cli) as typeof import('./cli.js');
    // Built (dist/sortie.cjs), the package ships no ES module of the CLI to fall back on: the file to name is the manifest.
    if (/\.[cm]js$/.test(import.meta.url)) throw new Error(`${join(distDir, 'cjs', 'manifest.json')} is missing or unreadable`);
    return await import('./cli.js');
  } catch (error) {
    const failure = error as { title?: string; message?: string; hint?: string; stack?: string };
    const message =
      failure.title === undefined
        ? `sortie cannot start: ${failure.message?.split('\n')[0] ?? String(error)}`
        : `${failure.title}: ${failure.message}`;
    process.stderr.write(
      `error: ${message}\n  hint: ${failure.hint ?? 'the installed package is broken: install sortie again (npm i sortie in a project, npm i -g sortie for the command)'}\n`,
    );
    if (process.env.SORTIE_DEBUG) process.stderr.write(`${failure.stack ?? ''}\n`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const chunks = createChunkLoader(distDir, process.env);
  const cli = await loadCli(chunks);
  if (cli === undefined) {
    process.exitCode = 2;
    return;
  }
  const { runCli } = cli;
  const code = await runCli(
    process.argv.slice(2),
    {
      out: (text) => {
        if (!stdoutClosed) process.stdout.write(text);
      },
      err: (text) => process.stderr.write(text),
      isTTY: process.stdout.isTTY === true,
      ...(process.stdout.isTTY === true ? { columns: () => (process.stdout.columns > 0 ? process.stdout.columns : undefined) } : {}),
      env: process.env,
      cwd: process.cwd(),
      ...(existsSync(sandboxLibs) ? { sandboxLibrariesDir: sandboxLibs } : {}),
      stopsGracefully: (options) => {
        graceful = true;
        commandSaysStopping = options?.saysStopping === true;
      },
      longRun: tierUpSooner,
    },
    controller.signal,
  );
  process.exitCode = code;
  // A local run that ran its scenarios (passed or failed): the code cache it writes holds a run's code.
  const args = process.argv.slice(2);
  if (args[0] === 'run' && !args.includes('--remote') && (code === 0 || code === 1)) chunks?.loader.markComplete();
  // The command is over and its output written. A client library may still hold a handle that nothing
  // will close (BullMQ's worker keeps reconnecting to a Redis that is down once its close gave up):
  // such a handle must not keep `sortie agent` or `sortie server` alive after SIGTERM. The timer does
  // not keep the process alive itself.
  setTimeout(() => process.exit(code), 2_000).unref();
  // Once stdout and stderr have taken their last bytes (a pipe may still hold some), the process ends
  // here: left to end by itself, Node frees the heap page by page and joins its threads first, ~25 ms
  // more than `node -e 0` does from its 'exit' event to the parent seeing it end (see BENCHMARKS.md,
  // issue 18, branch cold). 'exit' listeners (the code cache) still run.
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

/** Resolves when `stream` has written everything it was given (at once for files and terminals, written synchronously). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('close', resolve);
  });
}
