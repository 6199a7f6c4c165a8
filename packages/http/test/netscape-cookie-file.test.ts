import { ErrorCode, type SortieError } from '@sortie/core';
import { catchError } from '@sortie/testkit';
import { describe, expect, it } from 'vitest';
import { formatCookieFile, parseCookieFile } from '../src/index.js';

describe('Netscape cookie files', () => {
  it('reads curl’s layout: comments, #HttpOnly_, domain cookies, session and dated expiry', () => {
    const text = [
      '# Netscape HTTP Cookie File',
      '',
      '.example.com\tTRUE\t/\tTRUE\t4102444800\tsid\ta=b',
      '#HttpOnly_api.test\tFALSE\t/v1\tFALSE\t0\ttheme\tdark',
      '',
    ].join('\r\n');
    const entries = parseCookieFile(text);
    expect(entries).toEqual([
      {
        domain: 'example.com',
        includeSubdomains: true,
        path: '/',
        secure: true,
        httpOnly: false,
        expires: 4102444800,
        name: 'sid',
        value: 'a=b',
      },
      {
        domain: 'api.test',
        includeSubdomains: false,
        path: '/v1',
        secure: false,
        httpOnly: true,
        expires: 0,
        name: 'theme',
        value: 'dark',
      },
    ]);
    expect(parseCookieFile(formatCookieFile(entries))).toEqual(entries);
  });

  it('names the line of a malformed entry', () => {
    const error = catchError<SortieError>(() => parseCookieFile('# ok\nexample.com\tMAYBE\t/\tFALSE\t0\ta\tb\n', 'jar.txt'));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.location).toMatchObject({ file: 'jar.txt', line: 2 });
    expect(error.message).toContain('TRUE or FALSE');
  });
});
