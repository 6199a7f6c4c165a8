/**
 * Tiers a long run's JavaScript up to optimized code sooner. V8 optimizes a function once it has run
 * enough bytecode (`--interrupt-budget`, 66 KiB on Node 20's V8 11.3); a run of a few steps ends
 * before most of the engine's per-step code gets there, and should not pay for compiling it, but a run
 * of thousands of steps spends its first second in unoptimized code. Once a run has shown it is long
 * (`sortie run` says so through `Terminal.longRun` after 50 steps), the budget is cut to an eighth: the
 * 2,000-step scripted login chain ran ~15–20 % faster (BENCHMARKS.md, session 17), and a one-request
 * run, which never gets here, is unchanged (set at start, it ran ~13 % more instructions).
 */
import { setFlagsFromString } from 'node:v8';

const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;
const LONG_RUN_INTERRUPT_BUDGET = 8 * 1024;

let raised = false;

/** Lowers V8's tier-up budget for the rest of the process; puts the default back at exit. */
export function tierUpSooner(): void {
  if (raised) return;
  raised = true;
  setFlagsFromString(`--interrupt-budget=${LONG_RUN_INTERRUPT_BUDGET}`);
  // V8 stamps a hash of its flags into the code cache written at exit (code-cache.ts), and the next
  // start, with the default flags, would reject data stamped with another budget: the default goes
  // back before that listener runs.
  process.prependOnceListener('exit', () => setFlagsFromString(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`));
}
