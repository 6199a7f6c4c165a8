/**
 * HAR entries with fields of the wrong type: `headers` (or `cookies`, `queryString`) that is not a list
 * was read as no headers, and a `status` written as text ("200") as no status, so the step sent the
 * request without its headers and asserted nothing, with exit 0. Each is now an error at its place in
 * the HAR file (line, column, JSON path).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catchError } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHar } from '../src/index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sortie-har-types-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (request: Record<string, unknown>, response: Record<string, unknown>) =>
  JSON.stringify(
    { log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'https://a.example/x', ...request }, response }] } },
    null,
    2,
  );

describe('sortie import har: a field of the wrong type', () => {
  it.each([
    [
      'headers',
      entry({ headers: 'Accept: */*' }, { status: 200 }),
      '$.log.entries[0].request.headers',
      'expected a list of { "name", "value" }',
    ],
    [
      'cookies',
      entry({ headers: [], cookies: { sid: '1' } }, { status: 200 }),
      '$.log.entries[0].request.cookies',
      'expected a list of { "name", "value" }',
    ],
    [
      'status',
      entry({ headers: [] }, { status: '200' }),
      '$.log.entries[0].response.status',
      'expected "status", a number (the recorded status code)',
    ],
  ])('refuses %s at its place', async (name, text, path, message) => {
    const file = join(dir, `${name}.har`);
    await writeFile(file, text);
    const error = await catchError(importHar(file, { cwd: dir }));
    expect(error.code).toBe('SORTIE_INVALID_INPUT');
    const problem = error.details?.[0];
    expect(problem?.message).toBe(message);
    expect(problem?.location).toMatchObject({ path });
    expect(problem?.location?.line).toBeGreaterThan(1);
  });

  it('takes missing headers and cookies as none, as before', async () => {
    const file = join(dir, 'bare.har');
    await writeFile(file, entry({}, { status: 204 }));
    const result = await importHar(file, { cwd: dir });
    const scenario = result.files.find((item) => item.kind === 'scenario')?.value as { steps: Array<{ post?: unknown }> };
    expect(scenario.steps[0]?.post).toEqual([{ assert: { status: { equals: 204 } } }]);
  });
});
