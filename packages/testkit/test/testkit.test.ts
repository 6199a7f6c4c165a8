import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, SortieError } from '@sortie/core';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { catchError, expectGolden, findClosedPort, isReachable, normaliseJunit, normaliseText, startServer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sortie-testkit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('expectGolden', () => {
  it('fails on a missing golden file when CI is set, and does not write it', () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv('UPDATE_GOLDEN', '');
    const file = join(dir, 'missing-ci.txt');
    expect(() => expectGolden(file, 'text')).toThrow(/missing-ci\.txt is missing: run the test with UPDATE_GOLDEN=1/);
    expect(() => readFileSync(file)).toThrow();
  });

  it('fails on a missing golden file without CI too', () => {
    vi.stubEnv('CI', '');
    vi.stubEnv('UPDATE_GOLDEN', '');
    expect(() => expectGolden(join(dir, 'missing-local.txt'), 'text')).toThrow(/is missing/);
  });

  it('writes the file with UPDATE_GOLDEN=1, then compares with it', () => {
    const file = join(dir, 'sub', 'new.txt');
    vi.stubEnv('UPDATE_GOLDEN', '1');
    expectGolden(file, 'first\n');
    expect(readFileSync(file, 'utf8')).toBe('first\n');
    vi.stubEnv('UPDATE_GOLDEN', '');
    expectGolden(file, 'first\n');
    expect(() => expectGolden(file, 'second\n')).toThrow(/differs from/);
  });

  it('compares byte for byte', () => {
    vi.stubEnv('UPDATE_GOLDEN', '');
    const file = join(dir, 'exact.txt');
    writeFileSync(file, 'a\n');
    expect(() => expectGolden(file, 'a')).toThrow();
  });
});

describe('catchError', () => {
  it('returns what a function throws or a promise rejects with', async () => {
    const error = new SortieError(ErrorCode.INVALID_INPUT, 'Bad', 'bad');
    expect(
      catchError(() => {
        throw error;
      }).code,
    ).toBe(ErrorCode.INVALID_INPUT);
    expect(await catchError(Promise.reject(error))).toBe(error);
  });

  it('fails when nothing is thrown', async () => {
    expect(() => catchError(() => 1)).toThrow('expected the operation to throw');
    await expect(catchError(Promise.resolve(1))).rejects.toThrow('expected the operation to fail');
  });
});

describe('ports and servers', () => {
  it('finds a closed port, and a started server is reachable until closed', async () => {
    expect(await isReachable(await findClosedPort())).toBe(false);
    const server = await startServer((_request, response) => {
      response.end('ok');
    });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await (await fetch(server.url)).text()).toBe('ok');
    expect(server.connections()).toBe(1);
    expect(await isReachable(server.port)).toBe(true);
    await server.close();
    expect(await isReachable(server.port)).toBe(false);
  });
});

describe('normalisers', () => {
  it('replace durations, ports and timestamps only', () => {
    expect(normaliseText('GET http://127.0.0.1:4000/x (12 ms)\nDuration  1.2 s', 4000)).toBe(
      'GET http://127.0.0.1:PORT/x (N ms)\nDuration  N',
    );
    expect(normaliseJunit('<testsuite time="0.123" timestamp="2026-01-01T00:00:00Z">')).toBe(
      '<testsuite time="0.000" timestamp="TIMESTAMP">',
    );
  });
});
