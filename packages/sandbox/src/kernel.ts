/**
 * The guest kernel: evaluated once per context, it defines the shims and returns the three entry
 * points the host calls — `exec(scriptFn, prerequest, code?, status?, responseTime?, responseSize?, body?)`,
 * `fireTimer(id)`, `finish()`.
 * Per-run state lives in one object replaced by `exec` (the host context is fetched only when a
 * script reads it); `finish` removes the globals a script added (the intrinsics are frozen, see
 * guest/kernel/intrinsics-guard.js) and returns the outcome, including the variable writes not sent yet.
 *
 * The kernel's code is the guest JavaScript of guest/kernel/*.js (one scope, joined in the order of
 * scripts/build-guest.mjs and inlined in src/generated/guest-sources.ts); this module wraps it in
 * the kernel function and writes the host's constants at its top (declared in guest/kernel/kernel.d.ts).
 */
import { MAX_LOG_LINES, MAX_LOG_MESSAGE, MAX_TEST_NAME } from './console.js';
import { KERNEL_GUEST_SOURCE } from './generated/guest-sources.js';
import { ALIASED_LIBRARIES, BUILTIN_MODULES, BUNDLED_LIBRARIES, HARDENED_MODULES } from './libraries.js';
import { SCRIPT_PENDING } from './script-error.js';

/** File name of the kernel in guest stack traces. */
export const KERNEL_FILE = 'sortie:kernel';

const HOST_CONSTANTS = {
  MAX_LOG_LINES,
  MAX_LOG_MESSAGE,
  MAX_TEST_NAME,
  AVAILABLE_MODULES: [...BUILTIN_MODULES, ...Object.keys(BUNDLED_LIBRARIES), ...ALIASED_LIBRARIES].sort(),
  HARDENED_MODULES,
  SCRIPT_PENDING,
};

/** The kernel: a function of the host object returning the entry points. */
export const KERNEL_SOURCE = `(function (host) {
'use strict';
${Object.entries(HOST_CONSTANTS)
  .map(([name, value]) => `const ${name} = ${JSON.stringify(value)};`)
  .join('\n')}
${KERNEL_GUEST_SOURCE}
return { exec, fireTimer, finish };
})`;
