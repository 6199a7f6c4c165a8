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
    expect(() => parseCliArgs(['run', 'a.json', '--retry-failed', '1000000000'])).toThrow(
      expect.objectContaining({ code: ErrorCode.USAGE, message: '--retry-failed expects at most 100, got 1000000000' }),
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

/** The usage error parseCliArgs throws for `argv`: its message and hint. */
function usageOf(argv: string[]): { message: string; hint: string | undefined } {
  try {
    parseCliArgs(argv);
  } catch (error) {
    const usage = error as { code: string; message: string; hint?: string };
    expect(usage.code).toBe(ErrorCode.USAGE);
    return { message: usage.message, hint: usage.hint };
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('usage errors point at the help that lists the option', () => {
  it.each([
    [['run', '--bogus', 'x.json'], "run 'sortie run --help' for its options"],
    [['run', 'x.json', '--iterations'], "run 'sortie run --help' for its options"],
    [['run', 'x.json', '-n', '0'], "run 'sortie run --help' for its options"],
    [['run', 'x.json', '--delay-request', 'soon'], "run 'sortie run --help' for its options"],
    [['run', 'x.json', '--color=purple'], "run 'sortie run --help' for its options"],
    [['run'], "run 'sortie run --help' for its options"],
    [['validate', '--bogus', 'x.json'], "run 'sortie validate --help' for its options"],
    [['validate', 'x.json', '-e', 'a', '--environment', 'b'], "run 'sortie validate --help' for its options"],
  ])('%j → %s', (argv, hint) => {
    expect(usageOf(argv).hint).toBe(hint);
  });

  it('a misspelt --version or --help before any command gets a did-you-mean', () => {
    expect(usageOf(['--versoin'])).toEqual({
      message: 'unknown option --versoin (options go after a command)',
      hint: 'did you mean "sortie --version"?',
    });
    expect(usageOf(['--hlep']).hint).toBe('did you mean "sortie --help"?');
    expect(usageOf(['--bail']).hint).toBe('commands: run, validate, init, import, auth, scripts, agent, server');
  });
});

describe('an option of one value given twice', () => {
  it.each([
    [['-e', 'a.json', '-e', 'b.json'], '-e is given twice: it takes one value, give it once'],
    [['--out-dir', 'x', '--out-dir', 'y'], '--out-dir is given twice: it takes one value, give it once'],
    [['--parallel', '2', '--parallel=3'], '--parallel is given twice: it takes one value, give it once'],
    [
      ['-n', '2', '--iterations', '3'],
      '-n and --iterations are the same option (--iterations), given twice: it takes one value, give it once',
    ],
    [['-d', 'a.csv', '-d', 'b.csv'], '-d is given twice: it takes one value, give it once'],
    [['--timeout', '10', '--timeout-run', '20'], "--timeout-run and --timeout are the same option (--timeout is Newman's name): give one"],
  ])('%j is a usage error naming both', (flags, message) => {
    expect(usageOf(['run', 'a.json', ...flags]).message).toBe(message);
  });

  it('never shows the values (a token or a passphrase may be one)', () => {
    const { message } = usageOf(['run', 'a.json', '--remote', 'http://s', '--token', 's3cret-one', '--token', 's3cret-two']);
    expect(message).toBe('--token is given twice: it takes one value, give it once');
  });

  it('repeatable options and flags without a value may be repeated', () => {
    const args = parseCliArgs([
      'run',
      'a.json',
      '--env-var',
      'a=1',
      '--env-var',
      'b=2',
      '--tag',
      'x',
      '--tag',
      'y',
      '--bail',
      '--bail',
      '--color',
      '--no-color',
    ]);
    expect(args).toMatchObject({ envVars: { a: '1', b: '2' }, tags: ['x', 'y'], bail: true, color: false });
  });
});

describe('--remote with the flags of this terminal', () => {
  it('takes -q and --silent, which change only what this process prints', () => {
    expect(parseCliArgs(['run', 'a.json', '--remote', 'http://s', '-q'])).toMatchObject({ remote: 'http://s', output: 'quiet' });
    expect(parseCliArgs(['run', 'a.json', '--remote', 'http://s', '--silent'])).toMatchObject({ remote: 'http://s', output: 'silent' });
  });

  it('refuses --grep, --tag and --json, saying why', () => {
    expect(usageOf(['run', 'a.json', '--remote', 'http://s', '--grep', 'x']).message).toBe(
      '--grep does not go with --remote: the server runs every scenario of the plan it is sent and cannot select them by name (--folder selects, and travels with the plan)',
    );
    expect(usageOf(['run', 'a.json', '--remote', 'http://s', '--tag', 'x']).message).toMatch(/^--tag does not go with --remote: .* by tag/);
    expect(usageOf(['run', 'a.json', '--remote', 'http://s', '--json']).message).toMatch(/--report-json <file>/);
  });
});
