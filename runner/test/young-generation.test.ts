import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./support/young-generation-child.ts', import.meta.url));

/** Runs the child (a separate process: the V8 flag it sets is process-wide) and returns the largest new space it saw. */
function largestNewSpace(mode: 'cap' | 'none'): { largest: number; cap: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode], { encoding: 'utf8', timeout: 120_000 });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { largest: number; cap: number };
}

describe('capYoungGeneration', () => {
  it('stops V8 growing the new space past 16 MiB once it got there; without it the same work grows it further', () => {
    const capped = largestNewSpace('cap');
    expect(capped.largest).toBe(capped.cap);
    const uncapped = largestNewSpace('none');
    expect(uncapped.largest).toBeGreaterThan(uncapped.cap);
    // Two child processes that each allocate until V8 has grown its new space: 3–9 s on 2 busy cores.
  }, 60_000);
});
