import { ErrorCode, type SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/parse-dotenv.js';

function parseError(text: string): SortieError {
  try {
    parseDotenv(text, 'app/.env');
  } catch (error) {
    return error as SortieError;
  }
  throw new Error('expected parseDotenv to throw');
}

describe('parseDotenv', () => {
  it('reads KEY=value lines, trimming unquoted values and skipping comments and blank lines', () => {
    const text = '# settings\n\nAPI_URL = http://localhost:8080/v1 \n  TOKEN=abc\nEMPTY=\n';
    expect(parseDotenv(text)).toEqual({ API_URL: 'http://localhost:8080/v1', TOKEN: 'abc', EMPTY: '' });
  });

  it('accepts the export prefix', () => {
    expect(parseDotenv('export TOKEN=abc\nexport  OTHER="x"')).toEqual({ TOKEN: 'abc', OTHER: 'x' });
  });

  it('ends an unquoted value at a # after whitespace but keeps a # inside a word', () => {
    expect(parseDotenv('A=value # a comment\nB=pa#ss\nC=# only a comment')).toEqual({ A: 'value', B: 'pa#ss', C: '' });
  });

  it('keeps single-quoted values literally', () => {
    expect(parseDotenv("A='  spaced \\n # not a comment '  # comment")).toEqual({ A: '  spaced \\n # not a comment ' });
  });

  it('keeps backtick-quoted values literally, as dotenv does (the backticks are not part of it)', () => {
    expect(parseDotenv('A=`it\'s "quoted" # not a comment`  # comment\nB=`x`')).toEqual({ A: 'it\'s "quoted" # not a comment', B: 'x' });
    expect(parseError('A=`open').message).toBe('unterminated backtick-quoted value of A');
  });

  it('expands escapes in double-quoted values', () => {
    expect(parseDotenv('A="line1\\nline2\\ttab \\"quoted\\" back\\\\slash \\d"')).toEqual({
      A: 'line1\nline2\ttab "quoted" back\\slash \\d',
    });
  });

  it('reads a double-quoted value across several lines', () => {
    const text = 'KEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nNEXT=1\n';
    expect(parseDotenv(text)).toEqual({ KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----', NEXT: '1' });
  });

  it('accepts CRLF line ends and a byte order mark', () => {
    expect(parseDotenv('\ufeffA=1\r\nB="x\r\ny"\r\n')).toEqual({ A: '1', B: 'x\ny' });
  });

  it('lets a later duplicate win', () => {
    expect(parseDotenv('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('rejects a line without = at its line, without quoting the line', () => {
    const error = parseError('A=1\nsecret-looking-text\n');
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.location).toEqual({ file: 'app/.env', line: 2 });
    expect(error.message).not.toContain('secret-looking-text');
  });

  it('rejects an invalid name, saying what is wrong with it', () => {
    const error = parseError('MY KEY=1');
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('invalid variable name: the name has a space in it');
    expect(parseError('=1').message).toBe('invalid variable name: the line starts with "=", the name is missing');
    expect(parseError('1KEY=1').message).toBe('invalid variable name: the name starts with a digit');
    expect(parseError('"KEY"=1').message).toBe('invalid variable name: the name has the character "\\"" in it');
  });

  it('never quotes an invalid name back: a YAML-style line holds the secret before its "="', () => {
    // `NAME: value` written by habit, the value a base64 string with its "=" padding.
    const error = parseError('A=1\nAPI_TOKEN: c2stbGl2ZS1zZWNyZXQ=\n');
    expect(error.location).toEqual({ file: 'app/.env', line: 2 });
    expect(error.message).toBe('invalid variable name: the name has the character ":" in it');
    expect(JSON.stringify(error)).not.toContain('c2stbGl2ZS1zZWNyZXQ');
    expect(parseError('sk-live-abc def=').message).toBe('invalid variable name: the name has a space in it');
  });

  it('rejects an unterminated double quote at the line where it opens', () => {
    const error = parseError('A=1\nB="never\nclosed\n');
    expect(error.location).toEqual({ file: 'app/.env', line: 2 });
    expect(error.message).toBe('unterminated double-quoted value of B');
  });

  it('rejects an unterminated single quote', () => {
    expect(parseError("A='open").message).toBe('unterminated single-quoted value of A');
  });

  it('rejects text after a closing quote', () => {
    const error = parseError('A=1\n\nB="x"y');
    expect(error.location?.line).toBe(3);
    expect(error.message).toBe('unexpected text after the closing quote of B');
  });
});
