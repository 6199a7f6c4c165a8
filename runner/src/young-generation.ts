/**
 * Keeps V8's young generation at the size a short run reaches (issue 17). V8 starts the new space
 * small and doubles it (up to two 16 MiB semi-spaces on 64-bit Node 20) whenever the objects that
 * survived scavenges since the last growth add up to more than its capacity. Any long run gets there
 * in the end: a 10,000-row data-driven run ended at 16 MiB of new space, a 100,000-row one doubled
 * to 32 MiB after ~12 s, which alone was 16 MB of its peak RSS. `--max-semi-space-size` would cap
 * it, but V8 reads that flag only when the heap is made, before any code of ours runs; the growth
 * factor is read at each growth, so once the new space reached the cap it is set to 1 (no growth).
 * Best effort: a run that allocates fast can grow it twice between two checks (2,000 plain request
 * steps went from 4 to 16 MiB semi-spaces in one go), and then nothing changes for it.
 * Measured (BENCHMARKS.md, 2026-12-04, branch rows3): 100,000 rows peak 112–118 MB instead of
 * 132–140 MB, 10,000 rows and CPU time unchanged.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The new space (both semi-spaces, as V8 reports it) is not grown past this many bytes. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1024 * 1024;

/** How often the new space's size is looked at: a busy 2,000-step run grew it 16 → 32 MiB within 250 ms. */
const CHECK_MS = 50;

/** V8's own growth factor (Node 20's V8 11.3), put back at exit. */
const DEFAULT_GROWTH_FACTOR = 2;

/** Stops the new space growing once it reached {@link YOUNG_GENERATION_CAP_BYTES}; the check never keeps the process alive. */
export function capYoungGeneration(): void {
  const timer = setInterval(() => {
    const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (newSpace === undefined || newSpace.space_size < YOUNG_GENERATION_CAP_BYTES) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    // V8 stamps a hash of its flags into the code cache written at exit (code-cache.ts), and a start,
    // with the default flags, rejects data stamped with others: every run after a long one compiled
    // the CLI from scratch (and wrote the cache again). The default goes back first.
    process.prependOnceListener('exit', () => setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`));
    clearInterval(timer);
  }, CHECK_MS);
  timer.unref();
}
