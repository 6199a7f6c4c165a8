/**
 * An input that is not UTF-8 (a description or HAR saved as Latin-1 / Windows-1252) is refused at
 * its first bad byte, exit 2 (INVALID_INPUT); it was read with U+FFFD in place of its letters and
 * imported silently, the replacement characters then sent as if recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchError } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHar, importOpenApi } from '../src/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sortie-non-utf8-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs that are not UTF-8', () => {
  it('an OpenAPI description in Latin-1 is refused at the line and column of its first bad byte', async () => {
    const spec = join(dir, 'latin1.yaml');
    writeFileSync(
      spec,
      Buffer.concat([Buffer.from('openapi: 3.0.3\ninfo: {title: "caf'), Buffer.from([0xe9]), Buffer.from('", version: "1"}\npaths: {}\n')]),
    );
    const error = await catchError(importOpenApi(spec, { outDir: join(dir, 'out'), cwd: dir }));
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    const problem = error.details?.[0] ?? error;
    expect(problem.message).toContain('byte 0xE9 is not valid UTF-8');
    expect(problem.location).toMatchObject({ file: 'latin1.yaml', line: 2, column: 19 });
  });

  it('a HAR file in Latin-1 is refused at the line and column of its first bad byte', async () => {
    const har = join(dir, 'latin1.har');
    const entry = '{"request":{"method":"GET","url":"https://a.example/caf';
    writeFileSync(
      har,
      Buffer.concat([Buffer.from(`{"log":{"entries":[\n${entry}`), Buffer.from([0xe9]), Buffer.from('","headers":[]}}]}}\n')]),
    );
    const error = await catchError(importHar(har, { cwd: dir }));
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    expect(error.message).toContain('byte 0xE9 is not valid UTF-8');
    expect(error.location).toMatchObject({ file: 'latin1.har', line: 2, column: entry.length + 1 });
  });
});
