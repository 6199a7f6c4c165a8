import { ErrorCode } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/args.js';

describe('parseCliArgs for run', () => {
  it('reads iteration data, iterations, parallel, cookies and exports', () => {
    const args = parseCliArgs([
      'run',
      'a.json',
      '-d',
      'rows.csv',
      '-n',
      '3',
      '--parallel',
      '4',
      '--no-cookies',
      '--export-environment',
      'env-out.json',
      '--export-globals',
      'globals-out.json',
    ]);
    expect(args).toMatchObject({
      command: 'run',
      iterationData: 'rows.csv',
      iterations: 3,
      parallel: 4,
      cookies: false,
      exportEnvironment: 'env-out.json',
      exportGlobals: 'globals-out.json',
    });
  });

  it('reads the Postman flags: -g, --folder (repeatable) and --working-dir', () => {
    const args = parseCliArgs([
      'run',
      'c.postman_collection.json',
      '-g',
      'globals.json',
      '--folder',
      'Users',
      '--folder',
      'Log in',
      '--working-dir',
      'files',
    ]);
    expect(args).toMatchObject({ command: 'run', globalsFile: 'globals.json', folders: ['Users', 'Log in'], workingDir: 'files' });
    expect(parseCliArgs(['run', 'a.json'])).toMatchObject({ folders: [] });
    expect(parseCliArgs(['import', 'postman', 'c.json', '--out', 'x'])).toEqual({
      command: 'import',
      argv: ['postman', 'c.json', '--out', 'x'],
    });
    // The import command prints its own help (the formats) when given nothing.
    expect(parseCliArgs(['import'])).toEqual({ command: 'import', argv: [] });
    expect(parseCliArgs(['help', 'import'])).toEqual({ command: 'import', argv: ['--help'] });
    expect(parseCliArgs(['help', 'agent'])).toEqual({ command: 'help', topic: 'agent' });
    expect(parseCliArgs(['--help', 'version'])).toEqual({ command: 'help' });
    expect(() => parseCliArgs(['help', 'nonexistent'])).toThrow(/unknown command "nonexistent"/);
  });

  it('leaves reporters and the out dir unset so the project file can supply them', () => {
    const args = parseCliArgs(['run', 'a.json']);
    expect(args).toMatchObject({ command: 'run', cookies: true });
    expect(args).not.toHaveProperty('reporters');
    expect(args).not.toHaveProperty('outDir');
    expect(parseCliArgs(['run', 'a.json', '-r', 'json,cli', '--out-dir', 'x'])).toMatchObject({ reporters: ['json', 'cli'], outDir: 'x' });
    expect(parseCliArgs(['run', 'a.json', '-r', 'html', '--report-html', 'r/page.html'])).toMatchObject({
      reporters: ['html'],
      reportHtml: 'r/page.html',
    });
  });

  it('reads --retry-failed, --fail-on-flaky, --teardown-grace and --timeout-run', () => {
    expect(parseCliArgs(['run', 'a.json'])).toMatchObject({ failOnFlaky: false });
    expect(
      parseCliArgs(['run', 'a.json', '--retry-failed', '2', '--fail-on-flaky', '--teardown-grace', '3000', '--timeout-run', '60000']),
    ).toMatchObject({ retryFailed: 2, failOnFlaky: true, teardownGrace: 3000, timeoutRun: 60000 });
  });

  it.each([
    ['-n', '1.5'],
    ['--parallel', '0'],
    ['--retry-failed', '0'],
    ['--retry-failed', '1e9'],
    ['--retry-failed', '101'],
    ['--teardown-grace', 'soon'],
  ])('rejects %s %s', (flag, value) => {
    expect(() => parseCliArgs(['run', 'a.json', flag, value])).toThrow(expect.objectContaining({ code: ErrorCode.USAGE }));
  });

  it('takes --retry-failed up to 100 and says the limit above it', () => {
    expect(parseCliArgs(['run', 'a.json', '--retry-failed', '100'])).toMatchObject({ retryFailed: 100 });
    expect(() => parseCliArgs(['run', 'a.json', '--retry-failed', '1e9'])).toThrow(
      expect.objectContaining({ code: ErrorCode.USAGE, message: '--retry-failed expects at most 100, got 1e9' }),
    );
  });

  it('reads --shards with --remote; refuses it without --remote, below 1 and above 64', () => {
    expect(parseCliArgs(['run', 'a.json', '--remote', 'http://server', '--shards', '4'])).toMatchObject({ shards: 4 });
    expect(parseCliArgs(['run', 'a.json', '--remote', 'http://server', '--shards', '64'])).toMatchObject({ shards: 64 });
    for (const [args, message] of [
      [['--shards', '2'], /--shards goes with --remote/],
      [['--remote', 'http://server', '--shards', '0'], /--shards expects a positive whole number, got "0"/],
      [['--remote', 'http://server', '--shards', '65'], /--shards expects at most 64, got 65/],
      [['--remote', 'http://server', '--shards', 'two'], /--shards expects a positive whole number/],
    ] as const) {
      expect(() => parseCliArgs(['run', 'a.json', ...args])).toThrow(
        expect.objectContaining({ code: ErrorCode.USAGE, message: expect.stringMatching(message) }),
      );
    }
  });
});
