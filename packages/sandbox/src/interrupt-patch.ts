/**
 * How often QuickJS asks the sandbox's interrupt handler whether the time limit has passed: a
 * one-constant patch of QuickJS's published WebAssembly, applied to its bytes before they are compiled.
 *
 * Why: QuickJS counts down `ctx->interrupt_counter` on every loop turn and function call and calls
 * the interrupt handler only when it reaches 0, then resets it to `JS_INTERRUPT_COUNTER_INIT`,
 * 10,000 (bellard/quickjs at f1139494, the version vendored by quickjs-emscripten 0.32: quickjs.c
 * line 445 `#define JS_INTERRUPT_COUNTER_INIT 10000`, lines 7448–7468 `__js_poll_interrupts` and
 * `js_poll_interrupts`; JS_NewContext leaves the counter at 0, so that is its only assignment).
 * A loop whose every turn is a large built-in call (`'x'.repeat(1e6)`, `JSON.stringify` of
 * 100,000 elements) ran 10,000 such turns between two checks: 17.7 s and 44 s under a 5 s limit.
 * With 100 the handler runs 100 times as often; it costs ~0.1 µs a call (a WebAssembly → JS call
 * and `Date.now()`), under 1 % of a tight loop, and the overrun shrinks 100-fold (BENCHMARKS.md,
 * 2026-12-04, branch tick). The regular-expression engine's own counter (libregexp.c line 63,
 * `INTERRUPT_COUNTER_INIT`) counts backtracking steps, each tiny, and is left alone.
 *
 * Where: emscripten inlined `__js_poll_interrupts` into an out-of-line `js_poll_interrupts`
 * (function 127 of the module, found with `wasm-objdump -d`: the only `i32.const 10000` stored to
 * offset 232 of its argument, the JSContext's `interrupt_counter`):
 *
 *     i32.load offset=232 · i32.const 1 · i32.sub · i32.store offset=232 · … i32.le_s · if
 *       i32.const 10000 (41 90 ce 00, file offset 0x6672) · i32.store offset=232 · … call_indirect
 *
 * The constant's LEB128 is rewritten with the same length (a padded LEB128, which WebAssembly
 * accepts), so no size or offset in the module changes. The patch applies only when the file has the
 * pinned size and, at the pinned offset, the exact 93 bytes of that function (its size and body):
 * any other file is refused with an error that says what to redo. (A SHA-256 of the whole file
 * would cost every process that runs a script ~0.5 ms, 14 M instructions under callgrind; the
 * sandbox tests pin the SHA-256 instead, so an upgrade of QuickJS fails them until this is redone.)
 */

/** Loop turns and calls between two calls of the interrupt handler (QuickJS's own value: 10,000). */
export const INTERRUPT_COUNTER_INIT = 100;
/** QuickJS's own value of `JS_INTERRUPT_COUNTER_INIT`. */
export const QUICKJS_INTERRUPT_COUNTER_INIT = 10_000;

/** The file the patch was made for: dist/emscripten-module.wasm of @jitl/quickjs-wasmfile-release-sync 0.32.0. */
export const PINNED_WASM = {
  name: '@jitl/quickjs-wasmfile-release-sync 0.32.0 (dist/emscripten-module.wasm)',
  sha256: '105c3bed22d457e43e3d1c3c1c6959fda62a8fe06f0fc8a985303c3a2be72232',
  bytes: 503_134,
  /** File offset of js_poll_interrupts (function 127): its body size, then its body. */
  functionAt: 0x6650,
  /** Its size and body, `i32.const 10000` included (41 90 ce 00). */
  functionBytes:
    '5c01037f200020002802e801220141016b3602e801200141014c047f4100210120004190ce003602e801' +
    '024020002802102202280298012203450d002002200228029c012003110300450d00200010f603417f21010b20010541000b0b',
  /** File offset of the `i32.const` immediate (after the 0x41 opcode) that holds JS_INTERRUPT_COUNTER_INIT. */
  immediateAt: 0x6673,
} as const;

/** The error for a QuickJS WebAssembly file the patch was not made for. */
export class InterruptPatchError extends Error {
  override name = 'InterruptPatchError';
}

/**
 * `value` as a 3-byte signed LEB128, the length 10,000 takes (0x90 0xce 0x00): values below 128
 * are padded with 0x80 continuation bytes (e.g. 100 → 0xe4 0x80 0x00).
 */
export function leb128ThreeBytes(value: number): [number, number, number] {
  if (!Number.isInteger(value) || value < 1 || value >= 2 ** 20) throw new RangeError(`${value} does not fit a positive 3-byte LEB128`);
  return [0x80 | (value & 0x7f), 0x80 | ((value >> 7) & 0x7f), value >> 14];
}

/**
 * A copy of QuickJS's WebAssembly bytes in which `js_poll_interrupts` resets its counter to
 * `counter` instead of 10,000. Throws InterruptPatchError when the bytes are not those of the pinned file.
 */
export function patchInterruptCounter(wasmBytes: Uint8Array, counter: number = INTERRUPT_COUNTER_INIT): Uint8Array {
  if (!isPinnedWasm(wasmBytes)) {
    throw new InterruptPatchError(
      `QuickJS's WebAssembly is not the file the interrupt-counter patch was made for (${PINNED_WASM.name}, ` +
        `${PINNED_WASM.bytes} bytes, js_poll_interrupts at 0x${PINNED_WASM.functionAt.toString(16)}); this one has ${wasmBytes.length} bytes. ` +
        "Find the `i32.const 10000` stored to the JSContext's interrupt_counter in js_poll_interrupts again " +
        '(see packages/sandbox/src/interrupt-patch.ts) and update PINNED_WASM, or drop the patch.',
    );
  }
  const patched = new Uint8Array(wasmBytes);
  patched.set(leb128ThreeBytes(counter), PINNED_WASM.immediateAt);
  return patched;
}

/** Whether `wasmBytes` has the pinned size and, at the pinned offset, js_poll_interrupts byte for byte. */
function isPinnedWasm(wasmBytes: Uint8Array): boolean {
  const { bytes, functionAt, functionBytes } = PINNED_WASM;
  if (wasmBytes.length !== bytes) return false;
  for (let i = 0; i < functionBytes.length / 2; i++) {
    if (wasmBytes[functionAt + i] !== Number.parseInt(functionBytes.slice(2 * i, 2 * i + 2), 16)) return false;
  }
  return true;
}
