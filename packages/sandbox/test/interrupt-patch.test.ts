/**
 * The interrupt-counter patch of QuickJS's WebAssembly (src/interrupt-patch.ts): it applies to the
 * installed file, the sandboxes use it, and any other file is refused with an error saying what to redo.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import {
  INTERRUPT_COUNTER_INIT,
  InterruptPatchError,
  leb128ThreeBytes,
  PINNED_WASM,
  patchInterruptCounter,
  QUICKJS_INTERRUPT_COUNTER_INIT,
} from '../src/interrupt-patch.js';
import { quickJsInterruptCounter } from '../src/quickjs-module.js';

const fromQuickJs = createRequire(createRequire(import.meta.url).resolve('quickjs-emscripten'));
const installed = readFileSync(fromQuickJs.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'));

/** Where the two byte arrays differ. */
function differences(a: Uint8Array, b: Uint8Array): number[] {
  const at: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) at.push(i);
  return at;
}

describe('QuickJS interrupt-counter patch', () => {
  it('has the installed QuickJS WebAssembly pinned: after an upgrade, find the constant again (src/interrupt-patch.ts)', () => {
    expect(createHash('sha256').update(installed).digest('hex')).toBe(PINNED_WASM.sha256);
    expect(installed.length).toBe(PINNED_WASM.bytes);
  });

  it('applies to the installed QuickJS WebAssembly, changing only the bytes of the constant', () => {
    const patched = patchInterruptCounter(installed);
    expect(patched.length).toBe(installed.length);
    // 10,000 is 0x90 0xce 0x00, 100 is 0xe4 0x80 0x00: the last byte stays.
    expect(differences(installed, patched)).toEqual([0x6673, 0x6674]);
    expect([...installed.subarray(0x6672, 0x6676)]).toEqual([0x41, 0x90, 0xce, 0x00]); // i32.const 10000
    expect([...patched.subarray(0x6672, 0x6676)]).toEqual([0x41, ...leb128ThreeBytes(INTERRUPT_COUNTER_INIT)]);
  });

  it('is what the sandboxes run', async () => {
    const sandbox = await createSandbox({ timeLimitMs: 1000 });
    try {
      expect(quickJsInterruptCounter()).toEqual({ every: INTERRUPT_COUNTER_INIT });
    } finally {
      sandbox.dispose();
    }
  });

  it('refuses any other file, saying what to redo', () => {
    const changed = new Uint8Array(installed);
    changed[0x6692] = 0xa0; // js_poll_interrupts loading field 160 instead of 156 (i32.load offset=156)
    expect(() => patchInterruptCounter(changed)).toThrow(InterruptPatchError);
    expect(() => patchInterruptCounter(changed)).toThrow(
      /not the file the interrupt-counter patch was made for .*update PINNED_WASM, or drop the patch/,
    );
    expect(() => patchInterruptCounter(installed.subarray(1))).toThrow(InterruptPatchError);
  });

  it('encodes the counter as a 3-byte LEB128, the length of 10,000', () => {
    expect(leb128ThreeBytes(QUICKJS_INTERRUPT_COUNTER_INIT)).toEqual([0x90, 0xce, 0x00]);
    expect(leb128ThreeBytes(100)).toEqual([0xe4, 0x80, 0x00]);
    expect(leb128ThreeBytes(1000)).toEqual([0xe8, 0x87, 0x00]);
    expect(() => leb128ThreeBytes(0)).toThrow(RangeError);
    expect(() => leb128ThreeBytes(2 ** 20)).toThrow(RangeError);
  });
});
