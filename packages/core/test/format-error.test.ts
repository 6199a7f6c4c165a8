import { describe, expect, it } from 'vitest';
import { ErrorCode, type ErrorInfo, formatError, SortieError } from '../src/index.js';

const located = (file: string, line: number, column: number, path: string, message: string, hint?: string): SortieError =>
  new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', message, {
    location: { file, line, column, path },
    ...(hint === undefined ? {} : { hint }),
  });

const twoProblems = new SortieError(ErrorCode.INVALID_INPUT, 'Invalid scenario', 'steps.json has 2 problems', {
  details: [
    located('steps.json', 7, 19, '$.steps[0].request.method', 'expected an HTTP method such as GET or POST, got "GE T"'),
    located('steps.json', 12, 7, '$.steps[1].post[0].assert', 'unknown property "jsonpth"', 'did you mean "jsonpath"?'),
  ],
});

const refused: ErrorInfo = {
  code: ErrorCode.NETWORK,
  title: 'Connection refused',
  message: 'nothing listens on 127.0.0.1:9',
  hint: 'is the API running?',
};

/** Marks what `paint` coloured, so tests see which parts are coloured. */
const brackets = (style: 'red' | 'cyan', text: string): string => `<${style}>${text}</${style}>`;

describe('formatError, input style', () => {
  it('prints one block per problem, location and JSON path first, hint under the message', () => {
    expect(formatError(twoProblems, { style: 'input' })).toBe(
      [
        'Invalid scenario: steps.json has 2 problems',
        '',
        'steps.json:7:19  $.steps[0].request.method',
        '  expected an HTTP method such as GET or POST, got "GE T"',
        'steps.json:12:7  $.steps[1].post[0].assert',
        '  unknown property "jsonpth"',
        '  hint: did you mean "jsonpath"?',
      ].join('\n'),
    );
  });

  it('prints a single located problem as its title and one block', () => {
    const error = located('env.yaml', 3, 1, '$.variables', 'expected an object', 'write variables as key: value');
    expect(formatError(error, { style: 'input' })).toBe(
      'Invalid scenario\n\nenv.yaml:3:1  $.variables\n  expected an object\n  hint: write variables as key: value',
    );
  });

  it('prints an error without a line as title: message, then its hint', () => {
    const error = new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', 'cannot read a.json', { hint: 'check the path' });
    expect(formatError(error, { style: 'input' })).toBe('File not found: cannot read a.json\n  hint: check the path');
  });
});

describe('formatError, cli style', () => {
  it('prints error: title: message, then where and the hint, ending with a line feed', () => {
    const error = new SortieError(ErrorCode.USAGE, 'Unknown option', '--nope is not an option', {
      hint: 'see sortie help run',
      location: { file: 'sortie.config.json', line: 2, column: 5 },
    });
    expect(formatError(error, { style: 'cli' })).toBe(
      'error: Unknown option: --nope is not an option\n  at sortie.config.json:2:5\n  hint: see sortie help run\n',
    );
  });

  it('prints an error without location or hint on one line', () => {
    const error = new SortieError(ErrorCode.USAGE, 'Missing argument', 'sortie run needs a file');
    expect(formatError(error, { style: 'cli' })).toBe('error: Missing argument: sortie run needs a file\n');
  });

  it('prints an input error in the input style, with a final line feed', () => {
    expect(formatError(twoProblems, { style: 'cli' })).toBe(`${formatError(twoProblems, { style: 'input' })}\n`);
  });

  it('prints several inputs each in full, one after the other, then the message', () => {
    const csvRow = located('data.csv', 4, 2, '$[3].id', 'expected a number');
    const several = new SortieError(ErrorCode.INVALID_INPUT, 'Invalid input', '2 files have problems', {
      details: [twoProblems, csvRow],
    });
    expect(formatError(several, { style: 'cli' })).toBe(
      `${formatError(twoProblems, { style: 'cli' })}\n${formatError(csvRow, { style: 'cli' })}\n2 files have problems\n`,
    );
  });
});

describe('formatError, reporter styles', () => {
  it('step: title and message under the step, hint under them, coloured and cleaned', () => {
    const text = formatError(
      { ...refused, message: 'line one\nline two' },
      { style: 'step', paint: brackets, clean: (value) => value.toUpperCase() },
    );
    expect(text).toBe(
      ['      <red>CONNECTION REFUSED</red>: LINE ONE', '      LINE TWO', '      <cyan>hint</cyan>: IS THE API RUNNING?'].join('\n'),
    );
  });

  it('step: without paint or hint, plain text', () => {
    const { hint: _hint, ...noHint } = refused;
    expect(formatError(noHint, { style: 'step' })).toBe('      Connection refused: nothing listens on 127.0.0.1:9');
  });

  it('scenario: a red ! before the title, the hint indented under the message', () => {
    expect(formatError(refused, { style: 'scenario', paint: brackets })).toBe(
      '  <red>!</red> <red>Connection refused</red>: nothing listens on 127.0.0.1:9\n    <cyan>hint</cyan>: is the API running?',
    );
  });

  it('report: title: message, hint, then where with the JSON path', () => {
    const error: ErrorInfo = { ...refused, location: { file: 'a.json', line: 3, column: 9, path: '$.steps[0]' } };
    expect(formatError(error, { style: 'report' })).toBe(
      'Connection refused: nothing listens on 127.0.0.1:9\nhint: is the API running?\nat a.json:3:9 ($.steps[0])',
    );
    expect(formatError({ code: ErrorCode.SCRIPT, title: 'Script failed', message: 'x is not defined' }, { style: 'report' })).toBe(
      'Script failed: x is not defined',
    );
  });
});
