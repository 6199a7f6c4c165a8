/**
 * QuickJS's WebAssembly module for one sandbox, on a heap the memory limit bounds.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ErrorCode, SortieError } from '@sortie/core';
import { type CustomizeVariantOptions, newQuickJSWASMModule, newVariant, type QuickJSWASMModule, RELEASE_SYNC } from 'quickjs-emscripten';
import { INTERRUPT_COUNTER_INIT, patchInterruptCounter, QUICKJS_INTERRUPT_COUNTER_INIT } from './interrupt-patch.js';

type WasmMemoryOption = Exclude<NonNullable<CustomizeVariantOptions['wasmMemory']>, () => unknown>;
type WasmModuleOption = Exclude<NonNullable<CustomizeVariantOptions['wasmModule']>, () => unknown>;
/** Node's `WebAssembly` global (the lib typings used here only declare its types). */
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemoryOption;
      compile: (bytes: Uint8Array) => Promise<WasmModuleOption>;
    };
  }
).WebAssembly;
/** WebAssembly page size (64 KiB). */
export const WASM_PAGE_BYTES = 65_536;
/** The heap the QuickJS module starts with (emscripten's default): enough for the kernel and every bundled library. */
const INITIAL_HEAP_BYTES = 16 * 1024 * 1024;
/**
 * Heap besides the scripts' data: the 16 MiB QuickJS starts with (runtime, kernel, bundled
 * libraries) and room for a run's outcome (1,000 log lines of 10,000 characters are ~20 MB as
 * QuickJS strings, and as much again while `finish` serialises them).
 */
const HEAP_RESERVE_BYTES = 64 * 1024 * 1024;

/** The heap's maximum: the memory limit plus the fixed reserve. */
export function heapPages(memoryLimitBytes: number): number {
  return Math.ceil((HEAP_RESERVE_BYTES + memoryLimitBytes) / WASM_PAGE_BYTES);
}

/**
 * A QuickJS module of its own whose WebAssembly memory cannot grow past the memory limit plus a
 * fixed reserve (HEAP_RESERVE_BYTES): an allocation past it fails as QuickJS's "out of memory", and
 * the process's memory stays bounded.
 * QuickJS's own limit (`setMemoryLimit`) is not enough: built for WebAssembly it cannot read an
 * allocation's size and counts 8 bytes per allocation, so a 16 MiB ArrayBuffer counted as 8 bytes
 * and a script grew the process to gigabytes before anything stopped it.
 */
export function newLimitedModule(memoryLimitBytes: number): Promise<QuickJSWASMModule> {
  const maximum = heapPages(memoryLimitBytes);
  const wasmMemory = new wasm.Memory({ initial: INITIAL_HEAP_BYTES / WASM_PAGE_BYTES, maximum });
  const wasmModule = compiledQuickJs();
  return newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory, wasmModule }));
}

let compiled: Promise<WasmModuleOption> | undefined;
let interruptCounter: InterruptCounter = {
  every: QUICKJS_INTERRUPT_COUNTER_INIT,
  problem: 'QuickJS has not been loaded yet',
};

/** How often QuickJS calls the interrupt handler in this process, and why not INTERRUPT_COUNTER_INIT if it is not. */
export interface InterruptCounter {
  /** Loop turns and calls between two checks of the time limit. */
  every: number;
  /** Why QuickJS runs unpatched (10,000): its WebAssembly file is not the pinned one. */
  problem?: string;
}

/** The interrupt counter of the QuickJS module the sandboxes of this process use (after the first sandbox). */
export function quickJsInterruptCounter(): InterruptCounter {
  return interruptCounter;
}

/**
 * QuickJS's WebAssembly compiled once per process (tests create many sandboxes, and instances of
 * one compiled module share V8's lazily compiled code), with its interrupt counter patched
 * (interrupt-patch.ts): the time limit is checked every 100 loop turns or calls instead of 10,000,
 * so a loop of large built-in calls stops close to it. If the file cannot be found (neither next to
 * this module, where the CLI bundle has it, nor in the package), the installation is broken: an
 * error that says so. If it is not the pinned file, it is compiled unpatched: the time limit still holds,
 * only checked every 10,000 turns, and quickJsInterruptCounter() says why (a test fails on it).
 */
function compiledQuickJs(): () => Promise<WasmModuleOption> {
  if (compiled === undefined) {
    const bytes = readQuickJsWasm();
    // Emscripten would look in the same places, print its failure on stderr and abort with a
    // RuntimeError: a package without the file is broken, and the script's step says so (exit code 2).
    if (bytes === undefined) throw quickJsWasmMissing();
    {
      let code = bytes;
      try {
        code = patchInterruptCounter(bytes);
        interruptCounter = { every: INTERRUPT_COUNTER_INIT };
      } catch (error) {
        interruptCounter = { every: QUICKJS_INTERRUPT_COUNTER_INIT, problem: error instanceof Error ? error.message : String(error) };
      }
      compiled = wasm.compile(code);
    }
  }
  const module = compiled;
  return () => module;
}

/** The error for a QuickJS WebAssembly file found nowhere: an installation of sortie that lacks it. */
function quickJsWasmMissing(): SortieError {
  return new SortieError(
    ErrorCode.NOT_INSTALLED,
    'Incomplete installation',
    `the sortie package lacks ${fileURLToPath(new URL('./emscripten-module.wasm', import.meta.url))} (QuickJS's WebAssembly, which runs scripts)`,
    { hint: 'install sortie again (npm i sortie in a project, npm i -g sortie for the command)' },
  );
}

/** The bytes of QuickJS's WebAssembly: next to this module in the CLI bundle (runner/build.mjs copies it there), else from its package. */
function readQuickJsWasm(): Uint8Array | undefined {
  try {
    return readFileSync(new URL('./emscripten-module.wasm', import.meta.url));
  } catch {
    // Not the bundle: a source run, which finds the package.
  }
  try {
    const fromQuickJs = createRequire(createRequire(import.meta.url).resolve('quickjs-emscripten'));
    return readFileSync(fromQuickJs.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'));
  } catch {
    return undefined;
  }
}
