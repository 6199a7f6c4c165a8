import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = new URL('../scripts/build-guest.mjs', import.meta.url).pathname;

describe('guest sources', () => {
  it('src/generated/guest-sources.ts is built from the current guest/*.js (run `pnpm guest` after editing them)', async () => {
    const result = await run(process.execPath, [script, '--check']).then(
      () => 'up to date',
      (error: { stderr?: string }) => error.stderr ?? String(error),
    );
    expect(result).toBe('up to date');
  });
});
