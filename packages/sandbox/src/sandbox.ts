/**
 * The QuickJS host. One runtime and one context per Sandbox, reused by every run: the kernel and
 * the bundled libraries are evaluated once, a run only swaps the per-run state. Limits: memory
 * (runtime), stack (runtime), time (interrupt handler plus a deadline on host waits).
 *
 * A run: compile the script (cached) → exec(script, prerequest, …the response) → drain (promise
 * jobs, timers, pm.sendRequest) until nothing is pending or the deadline passes → finish() →
 * outcome. Nothing else crosses into the guest unless the script asks: the rest of the context
 * (request, info, cookies, args), the response headers and a body over 512 bytes are host calls
 * made on first use.
 */
import { decodeBodyText, ErrorCode, getHeader, type HttpResponse, SortieError } from '@sortie/core';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import { createHostObject, type HostFunctions } from './host-bridge.js';
import { KERNEL_FILE, KERNEL_SOURCE } from './kernel.js';
import { createResponseHostFunctions } from './pm-response.js';
import { type GuestTestResult, toAssertionResults } from './pm-test.js';
import { applyVariableWrites, createVariableHostFunctions, type VariableWrite } from './pm-variables.js';
import { heapPages, newLimitedModule, WASM_PAGE_BYTES } from './quickjs-module.js';
import { createRequireHostFunctions } from './require.js';
import { RunState } from './run-state.js';
import { CRASHED, type GuestError, INTERRUPTED, isInterruption, RUN_STOPPED, type ScriptLimits, toScriptError } from './script-error.js';
import { createSendRequestHostFunctions } from './send-request.js';
import { deliverSigint, SigintWatch } from './sigint-watch.js';
import { SigtermWatch } from './sigterm-watch.js';
import { createTimerHostFunctions } from './timers.js';
import type { Sandbox, SandboxOptions, ScriptContext, ScriptCookieWrite, ScriptLog, ScriptOutcome, ScriptRequest } from './types.js';
import { createWebGlobalsHostFunctions } from './web-globals.js';

const DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024;
/** Below this QuickJS cannot always allocate its own out-of-memory error (and has crashed in tests). */
const MIN_MEMORY_LIMIT = 32 * 1024 * 1024;
const DEFAULT_TIME_LIMIT_MS = 5000;
const DEFAULT_STACK_SIZE = 256 * 1024;
/** Above this, QuickJS's stack can outgrow the host's own stack before QuickJS notices. */
const MAX_STACK_SIZE = 320 * 1024;
/** Time the kernel gets to collect the outcome after the script's own time is up. */
const KERNEL_GRACE_MS = 1000;
/** How long evaluating one bundled library may take; the time it takes is given back to the script. */
const LIBRARY_LOAD_LIMIT_MS = 30_000;
/** Response bodies up to this size go to the guest with exec; larger ones on demand. */
const INLINE_BODY_BYTES = 512;
/** Compiled scripts kept per sandbox. */
const MAX_CACHED_SCRIPTS = 256;
/**
 * How long a script may keep the thread before the interrupt handler also looks for a stop (the run's
 * signal, a Ctrl-C: see sigint-watch.ts); shorter guest calls pay nothing for it.
 */
const WATCH_AFTER_MS = 20;
/**
 * How long a script may keep the thread before a worker also watches SIGTERM (sigterm-watch.ts): the
 * worker costs ~10 MB and its start, so the short busy scripts (a signature, a big JSON) do without.
 */
const WATCH_SIGTERM_AFTER_MS = 250;

interface KernelEntryPoints {
  exec: QuickJSHandle;
  fireTimer: QuickJSHandle;
  finish: QuickJSHandle;
}

/** What `finish` returns: only what differs from an empty outcome; a test that passed plainly is just its name. */
interface GuestOutcome {
  tests?: Array<string | GuestTestResult>;
  logs?: ScriptLog[];
  skipRequest?: boolean;
  nextRequest?: string | null;
  request?: ScriptRequest;
  visualizer?: { template: string; data: unknown };
  error?: GuestError;
  /** The run left the context in a state that cannot be undone: the next run gets a fresh one. */
  discardContext?: boolean;
  /** Variable writes still queued in the guest when the run ended. */
  writes?: VariableWrite[];
  cookieWrites?: ScriptCookieWrite[];
}

type CallResult = { value?: string; error?: GuestError };

/**
 * Creates a sandbox: one QuickJS runtime with its limits and one context with the `pm` API.
 * Dispose it when the run ends.
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return new QuickJsSandbox(await newLimitedModule(memoryLimitOf(options)), options);
}

function memoryLimitOf(options: SandboxOptions): number {
  return Math.max(options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT, MIN_MEMORY_LIMIT);
}

class QuickJsSandbox implements Sandbox {
  readonly #limits: ScriptLimits;
  readonly #librariesDir: string | undefined;
  /** SandboxOptions.watchProcessSignals. */
  readonly #watchSignals: boolean;
  #runtime!: QuickJSRuntime;
  #vm!: QuickJSContext;
  #kernel!: KernelEntryPoints;
  #scripts = new Map<string, { fn: QuickJSHandle; file: string }>();
  /** The name the current run's script was compiled under (its stack frames carry it). */
  #compiledAs: string | undefined;
  #run: RunState | undefined;
  #deadline = Number.POSITIVE_INFINITY;
  /** From when the current guest call also checks for a stop (Infinity outside script code). */
  #watchFrom = Number.POSITIVE_INFINITY;
  /** From when it also watches SIGTERM. */
  #watchSigtermFrom = Number.POSITIVE_INFINITY;
  /** The current run was stopped: its signal aborted, its deadline passed, or a Ctrl-C or SIGTERM came while it kept the thread busy. */
  #stopped = false;
  readonly #sigint = new SigintWatch();
  readonly #sigterm = new SigtermWatch();
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when the WebAssembly module trapped: the next run starts from a fresh module. */
  #broken = false;
  /** Set when a script changed the context beyond repair: the next run starts from a fresh runtime. */
  #stale = false;
  #module!: QuickJSWASMModule;
  #disposed = false;
  /** A file of the package the current run needed and could not read (a library bundle): the run's error, whatever the script made of it. */
  #unavailable: SortieError | undefined;

  constructor(module: QuickJSWASMModule, options: SandboxOptions) {
    this.#limits = {
      timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
      memoryLimitBytes: memoryLimitOf(options),
      stackSizeBytes: Math.min(options.stackSizeBytes ?? DEFAULT_STACK_SIZE, MAX_STACK_SIZE),
    };
    this.#librariesDir = options.librariesDir;
    this.#watchSignals = options.watchProcessSignals === true;
    this.#start(module);
  }

  run(source: string, ctx: ScriptContext): Promise<ScriptOutcome> {
    const result = this.#queue.then(() => this.#runNow(source, ctx));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stop();
  }

  #start(module: QuickJSWASMModule): void {
    this.#module = module;
    this.#stale = false;
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(this.#limits.memoryLimitBytes);
    runtime.setMaxStackSize(this.#limits.stackSizeBytes);
    runtime.setInterruptHandler(() => {
      const now = Date.now();
      return now > this.#deadline || (now >= this.#watchFrom && this.#stopRequested());
    });
    const vm = runtime.newContext();
    const currentRun = () => {
      if (this.#run === undefined) throw new Error('no script is running');
      return this.#run;
    };
    const functions: HostFunctions = {
      context: () => JSON.stringify(describeContext(currentRun().ctx)),
      ...createVariableHostFunctions(currentRun),
      ...createResponseHostFunctions(currentRun),
      ...createTimerHostFunctions(currentRun, (id) => this.#fireTimer(id)),
      ...createSendRequestHostFunctions(currentRun),
      ...createRequireHostFunctions(
        vm,
        this.#librariesDir,
        (load) => this.#untimed(load),
        (error) => {
          this.#unavailable ??= error;
        },
      ),
      ...createWebGlobalsHostFunctions(),
      endRun: () => {
        currentRun().ended = true;
        return undefined;
      },
    };
    const host = createHostObject(vm, functions, currentRun);
    const factory = vm.unwrapResult(vm.evalCode(KERNEL_SOURCE, KERNEL_FILE, { type: 'global', strict: true }));
    const entries = vm.unwrapResult(vm.callFunction(factory, vm.undefined, host));
    factory.dispose();
    host.dispose();
    this.#kernel = {
      exec: vm.getProp(entries, 'exec'),
      fireTimer: vm.getProp(entries, 'fireTimer'),
      finish: vm.getProp(entries, 'finish'),
    };
    entries.dispose();
    this.#runtime = runtime;
    this.#vm = vm;
  }

  #stop(): void {
    // A trapped WebAssembly instance cannot be freed cleanly (it aborts); it is dropped with its module.
    if (this.#broken) return;
    try {
      for (const entry of this.#scripts.values()) entry.fn.dispose();
      this.#scripts.clear();
      for (const handle of Object.values(this.#kernel)) handle.dispose();
      this.#vm.dispose();
      this.#runtime.dispose();
    } catch {
      // Freeing failed (a handle leaked after a limit hit): nothing more can be done for this runtime.
    }
  }

  async #runNow(source: string, ctx: ScriptContext): Promise<ScriptOutcome> {
    if (this.#disposed) throw new SortieError(ErrorCode.INTERNAL, 'Sandbox disposed', 'the script sandbox was already disposed');
    if (this.#broken) {
      this.#scripts = new Map();
      this.#start(await newLimitedModule(this.#limits.memoryLimitBytes));
      this.#broken = false;
    } else if (this.#stale) {
      this.#stop();
      this.#start(this.#module);
    }
    const scriptName = ctx.scriptName || 'script';
    this.#unavailable = undefined;
    const run = new RunState(ctx, this.#limits.timeLimitMs);
    this.#run = run;
    this.#deadline = run.deadline;
    this.#stopped = false;
    let failure: GuestError | undefined;
    let finished: CallResult = {};
    try {
      const compiled = this.#compile(source, ctx.scriptFile || scriptName);
      const prerequest = ctx.eventName === 'prerequest' ? this.#vm.true : this.#vm.false;
      // A script that does not compile still gets a run (and a finish) so the outcome has its usual shape.
      const fn = 'error' in compiled ? this.#vm.undefined : compiled.fn.dup();
      failure = this.#call(this.#kernel.exec, fn, prerequest, ...this.#responseArgs(ctx.response)).error;
      if ('error' in compiled) failure = { ...compiled.error, compile: true };
      if (failure === undefined) failure = await this.#drain(run);
      if (failure !== undefined && isInterruption(failure) && (this.#stopped || ctx.signal?.aborted === true)) failure = RUN_STOPPED;
      run.close();
      this.#deadline = Date.now() + KERNEL_GRACE_MS;
      finished = this.#call(this.#kernel.finish);
    } catch (error) {
      this.#broken = true;
      failure = { name: CRASHED, message: error instanceof Error ? error.message : String(error) };
    } finally {
      run.close();
      this.#deadline = Number.POSITIVE_INFINITY;
      this.#run = undefined;
    }
    return this.#toOutcome(finished, failure, ctx);
  }

  /** Runs `load` (a library evaluation) with its own time limit, then gives the time it took back to the script. */
  #untimed<T>(load: () => T): T {
    const started = Date.now();
    const deadline = this.#deadline;
    this.#deadline = started + LIBRARY_LOAD_LIMIT_MS;
    try {
      return load();
    } finally {
      const spent = Date.now() - started;
      this.#run?.extend(spent);
      this.#deadline = deadline + spent;
    }
  }

  #toOutcome(finished: CallResult, failure: GuestError | undefined, ctx: ScriptContext): ScriptOutcome {
    const guest: GuestOutcome = finished.value === undefined ? {} : (JSON.parse(finished.value) as GuestOutcome);
    if (guest.discardContext === true) this.#stale = true;
    const outcome: ScriptOutcome = {
      assertions: toAssertionResults(guest.tests ?? []),
      logs: guest.logs ?? [],
      skipRequest: guest.skipRequest === true,
    };
    if (guest.request !== undefined) outcome.request = guest.request;
    else if (ctx.eventName === 'prerequest' && ctx.request !== undefined)
      outcome.request = { ...ctx.request, headers: [...ctx.request.headers] };
    if (guest.nextRequest !== undefined) outcome.nextRequest = guest.nextRequest;
    if (guest.visualizer !== undefined) outcome.visualizer = guest.visualizer;
    if (guest.cookieWrites !== undefined && guest.cookieWrites.length > 0) outcome.cookieWrites = guest.cookieWrites.map(toCookieWrite);
    let writeError: GuestError | undefined;
    try {
      if (guest.writes !== undefined && guest.writes.length > 0) applyVariableWrites(ctx.variables, guest.writes, ctx.collectionScope);
    } catch (error) {
      writeError = { name: 'Error', message: error instanceof Error ? error.message : String(error), stack: '' };
    }
    let error = failure ?? guest.error ?? finished.error ?? writeError;
    // At the memory limit the heap is full, and what the script kept (a global, a closure) may
    // outlive the run: the next run starts from a fresh module with an empty heap.
    if (error !== undefined && isMemoryError(error)) {
      this.#broken = true;
      // A null thrown with the heap at its maximum is QuickJS failing to allocate its own error.
      if (error.nonError === true && this.#heapIsFull()) error = { name: 'InternalError', message: 'out of memory', stack: '' };
    }
    // What the installation lacks is the run's error even when the script caught it (a failed pm.test): the
    // step then says what to reinstall, and the CLI exits with code 2 (SORTIE_NOT_INSTALLED), not 1.
    if (this.#unavailable !== undefined) outcome.error = this.#unavailable;
    else if (error !== undefined)
      outcome.error = toScriptError(error, ctx.scriptName || 'script', this.#limits, {
        compiledAs: this.#compiledAs ?? ctx.scriptName,
        file: ctx.scriptFile || ctx.scriptName || 'script',
      });
    return outcome;
  }

  /** Whether the heap grew as far as the memory limit lets it (emscripten grows it by at least 5 %). */
  #heapIsFull(): boolean {
    const maximum = heapPages(this.#limits.memoryLimitBytes) * WASM_PAGE_BYTES;
    return this.#module.getWasmMemory().buffer.byteLength * 1.05 > maximum;
  }

  /**
   * Compiles the script as the body of an async function, cached by source alone: the same inline
   * script on 2,000 steps compiles once. It is compiled under its first name; error locations are
   * mapped from that name to the name of the run (see #compiledAs).
   */
  #compile(source: string, scriptName: string): { fn: QuickJSHandle } | { error: GuestError } {
    const cached = this.#scripts.get(source);
    if (cached !== undefined) {
      this.#scripts.delete(source);
      this.#scripts.set(source, cached);
      this.#compiledAs = cached.file;
      return { fn: cached.fn };
    }
    this.#compiledAs = scriptName;
    // Without `await` the script needs no async function: a plain one runs to its end inside exec and
    // leaves no promise job behind, so the drain has nothing to do (same body, same line numbers).
    const wrapper = source.includes('await') ? 'async function' : 'function';
    const result = this.#vm.evalCode(`(${wrapper} () {\n${source}\n})`, scriptName, { type: 'global' });
    if (result.error) return { error: this.#readError(result.error) };
    this.#scripts.set(source, { fn: result.value, file: scriptName });
    if (this.#scripts.size > MAX_CACHED_SCRIPTS) {
      const [oldestKey, oldest] = this.#scripts.entries().next().value as [string, { fn: QuickJSHandle }];
      this.#scripts.delete(oldestKey);
      oldest.fn.dispose();
    }
    return { fn: result.value };
  }

  /**
   * What `exec` receives of a test script's response: code, status text, response time, size and
   * the body when it is small (a larger one stays on the host until `text()` / `json()` asks for
   * it). The headers stay on the host until a script reads them (most scripts never do: serialising
   * and copying them into the guest cost 2–3 µs a run).
   */
  #responseArgs(response: HttpResponse | undefined): QuickJSHandle[] {
    if (response === undefined) return [];
    const vm = this.#vm;
    const size = response.body.byteLength;
    return [
      vm.newNumber(response.status),
      vm.newString(response.statusText),
      vm.newNumber(response.timings.total),
      vm.newNumber(size),
      size <= INLINE_BODY_BYTES ? vm.newString(decodeBodyText(response.body, getHeader(response.headers, 'content-type'))) : vm.undefined,
    ];
  }

  /**
   * Runs promise jobs and host work (timers, requests) until nothing is pending, time is up or the
   * script threw an uncaught error (the guest holds that error; finish reports it).
   */
  async #drain(run: RunState): Promise<GuestError | undefined> {
    for (;;) {
      if (run.ended) return undefined;
      if (this.#runtime.hasPendingJob()) {
        const jobs = this.#inGuest(() => this.#runtime.executePendingJobs());
        if (jobs.error) return this.#readError(jobs.error);
      }
      if (run.ended) return undefined;
      if (Date.now() > run.deadline) return INTERRUPTED;
      if (run.queue.length === 0) {
        if (run.pending === 0) return undefined;
        if (!(await run.waitForJob())) return wasStopped(run) ? RUN_STOPPED : INTERRUPTED;
      }
      for (const job of run.queue.splice(0)) {
        job();
        if (run.failure !== undefined) return run.failure;
        if (run.ended) return undefined;
      }
    }
  }

  /** Runs script code; past WATCH_AFTER_MS the interrupt handler also checks for a stop. */
  #inGuest<T>(enter: () => T): T {
    const now = Date.now();
    this.#watchFrom = now + WATCH_AFTER_MS;
    this.#watchSigtermFrom = now + WATCH_SIGTERM_AFTER_MS;
    try {
      return enter();
    } finally {
      this.#watchFrom = Number.POSITIVE_INFINITY;
      this.#watchSigtermFrom = Number.POSITIVE_INFINITY;
      // The Ctrl-C goes on to the run's listeners once the script has let go of the thread (a SIGTERM
      // reaches them from the event loop by itself).
      if (this.#sigint.active && this.#sigint.stop()) queueMicrotask(deliverSigint);
      this.#sigterm.stop();
    }
  }

  /**
   * Whether the running script must stop now: the run's signal aborted, the run's deadline (--timeout)
   * passed — its timer cannot fire while the script keeps the thread — or, when the sandbox watches
   * the process's signals (SandboxOptions.watchProcessSignals), a Ctrl-C or SIGTERM came.
   */
  #stopRequested(): boolean {
    if (this.#stopped) return true;
    const ctx = this.#run?.ctx;
    // A watch starts on its first poll: poll both, not one only when the other found nothing.
    const now = Date.now();
    const sigint = this.#watchSignals && this.#sigint.poll();
    const sigterm = this.#watchSignals && now >= this.#watchSigtermFrom && this.#sigterm.poll();
    if (ctx?.signal?.aborted === true || (ctx?.deadline !== undefined && now >= ctx.deadline) || sigint || sigterm) this.#stopped = true;
    return this.#stopped;
  }

  #fireTimer(id: number): void {
    const error = this.#call(this.#kernel.fireTimer, this.#vm.newNumber(id)).error;
    if (error !== undefined && this.#run !== undefined) this.#run.failure = error;
  }

  /** Calls a kernel entry point, taking ownership of `args`; `finish` returns a string, the others nothing. */
  #call(fn: QuickJSHandle, ...args: QuickJSHandle[]): CallResult {
    const vm = this.#vm;
    // The kernel's own `finish` is not a script: a stop does not cut it (its grace period does).
    const result =
      fn === this.#kernel.finish
        ? vm.callFunction(fn, vm.undefined, ...args)
        : this.#inGuest(() => vm.callFunction(fn, vm.undefined, ...args));
    for (const arg of args) arg.dispose();
    if (result.error) return { error: this.#readError(result.error) };
    const value = fn === this.#kernel.finish ? vm.getString(result.value) : undefined;
    result.value.dispose();
    return value === undefined ? {} : { value };
  }

  #readError(handle: QuickJSHandle): GuestError {
    const value: unknown = this.#vm.dump(handle);
    handle.dispose();
    if (value !== null && typeof value === 'object' && 'message' in value) {
      const { name, message, stack } = value as Record<string, unknown>;
      return { name: String(name ?? 'Error'), message: String(message), stack: typeof stack === 'string' ? stack : '' };
    }
    return { nonError: true, value: typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value) };
  }
}

/** The run's signal aborted (the wait for a timer or a request ended early for it). */
function wasStopped(run: RunState): boolean {
  return run.ctx.signal?.aborted === true;
}

/** QuickJS's out-of-memory error, or the null it throws when it cannot allocate even that. */
function isMemoryError(error: GuestError): boolean {
  return (error.name === 'InternalError' && error.message === 'out of memory') || (error.nonError === true && error.value === 'null');
}

/** Copies a guest cookie write field by field (strings only). */
function toCookieWrite(write: ScriptCookieWrite): ScriptCookieWrite {
  const out: ScriptCookieWrite = { url: String(write.url) };
  if (write.name !== undefined) out.name = String(write.name);
  if (write.value !== undefined) out.value = String(write.value);
  return out;
}

/** The rest of the context, fetched by the guest (`host.context()`) the first time a script reads it. */
function describeContext(ctx: ScriptContext): Record<string, unknown> {
  return {
    eventName: ctx.eventName,
    requestName: ctx.requestName,
    requestId: ctx.requestId,
    location: ctx.location ?? [ctx.requestName],
    iteration: ctx.iteration,
    iterationCount: ctx.iterationCount,
    request: ctx.request,
    cookies: ctx.cookies ?? {},
    hasCookieJar: ctx.cookiesFor !== undefined,
    environmentName: ctx.environmentName,
    args: ctx.args ?? {},
  };
}
