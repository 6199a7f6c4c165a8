/**
 * Library functions called from JavaScript (no types there) with an argument of the wrong kind: a
 * SortieError that names the function, the argument and what it expects, never a TypeError from inside.
 */
import { describe, expect, it } from 'vitest';
import { createCliReporter, createHtmlReporter, mergeShards, parseCookieFile, type RunPlan, resolvePlanSecrets } from '../src/index.js';

const invalidArgument = (message: string) => ({ name: 'SortieError', code: 'SORTIE_USAGE', title: 'Invalid argument', message });

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('library functions given an argument of the wrong kind', () => {
  it('reporter factories: createCliReporter(), createHtmlReporter() with no options', () => {
    const call = (fn: (options: never) => unknown, options?: unknown) => () => fn(options as never);
    expect(thrown(call(createCliReporter))).toMatchObject(
      invalidArgument('createCliReporter: "options" expects an object (its output, at least), got undefined'),
    );
    expect(thrown(call(createHtmlReporter))).toMatchObject(
      invalidArgument('createHtmlReporter: "options" expects an object (its file, at least), got undefined'),
    );
    expect(thrown(call(createHtmlReporter, 'report.html'))).toMatchObject(
      invalidArgument('createHtmlReporter: "options" expects an object (its file, at least), got a string'),
    );
  });

  it('mergeShards() without its logs or reporters', async () => {
    await expect((mergeShards as (...args: unknown[]) => Promise<unknown>)()).rejects.toMatchObject(
      invalidArgument('mergeShards: "logs" expects a list of event logs (Buffer, string or undefined), got undefined'),
    );
    await expect((mergeShards as (...args: unknown[]) => Promise<unknown>)([], {})).rejects.toMatchObject(
      invalidArgument('mergeShards: "reporters" expects a list of reporters, got an object'),
    );
  });

  it('parseCookieFile(5), parseCookieFile of a Buffer', () => {
    expect(thrown(() => parseCookieFile(5 as unknown as string))).toMatchObject(
      invalidArgument('parseCookieFile: "text" expects the cookie file\'s text (a string), got a number'),
    );
    expect(thrown(() => parseCookieFile(Buffer.from('x') as unknown as string))).toMatchObject(
      invalidArgument('parseCookieFile: "text" expects the cookie file\'s text (a string), got an object'),
    );
  });

  it('resolvePlanSecrets(null), and without its options; the value itself is never shown', async () => {
    await expect(resolvePlanSecrets(null as unknown as RunPlan, { env: {} })).rejects.toMatchObject(
      invalidArgument('resolvePlanSecrets: "plan" expects a run plan (from loadPlan), got null'),
    );
    const error = await (resolvePlanSecrets as (...args: unknown[]) => Promise<unknown>)({ root: '.' }, 's3cr3t').catch((e: unknown) => e);
    expect(error).toMatchObject(invalidArgument('resolvePlanSecrets: "options" expects an object (its env, at least), got a string'));
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });
});
