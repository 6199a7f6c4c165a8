import { ErrorCode, SortieError } from '@sortie/core';
import { describe, expect, it } from 'vitest';
import { resolveProxy } from '../src/index.js';

describe('resolveProxy', () => {
  it('uses an explicit URL for both schemes and ignores the environment', () => {
    expect(resolveProxy('http://proxy.test:3128', { HTTP_PROXY: 'http://env.test:1', NO_PROXY: 'a.test' })).toEqual({
      httpProxy: 'http://proxy.test:3128',
      httpsProxy: 'http://proxy.test:3128',
      noProxy: '',
    });
  });

  it('takes noProxy from an explicit setting', () => {
    expect(resolveProxy({ url: 'http://proxy.test:3128', noProxy: ['localhost', '.internal.test', 'api.test:8443'] }, {})).toEqual({
      httpProxy: 'http://proxy.test:3128',
      httpsProxy: 'http://proxy.test:3128',
      noProxy: 'localhost,.internal.test,api.test:8443',
    });
  });

  it('reads the environment, lower-case names first', () => {
    const env = {
      http_proxy: 'http://lower.test:1',
      HTTP_PROXY: 'http://upper.test:1',
      HTTPS_PROXY: 'http://s.test:2',
      no_proxy: 'x.test',
    };
    expect(resolveProxy(undefined, env)).toEqual({
      httpProxy: 'http://lower.test:1',
      httpsProxy: 'http://s.test:2',
      noProxy: 'x.test,localhost,127.0.0.1,[::1]',
    });
  });

  it('always reaches loopback hosts directly with a proxy from the environment', () => {
    expect(resolveProxy(undefined, { HTTP_PROXY: 'http://env.test:1' })?.noProxy).toBe('localhost,127.0.0.1,[::1]');
  });

  it('returns undefined without any proxy, or when the setting is false', () => {
    expect(resolveProxy(undefined, { NO_PROXY: 'x.test' })).toBeUndefined();
    expect(resolveProxy(false, { HTTP_PROXY: 'http://env.test:1' })).toBeUndefined();
  });

  it('reads a proxy without scheme as http://, as curl does', () => {
    expect(resolveProxy(undefined, { HTTPS_PROXY: 'user:pw@proxy.corp:3128' })?.httpsProxy).toBe('http://user:pw@proxy.corp:3128');
  });

  for (const value of ['http://user:secret-pw@bad host:1', 'ftp://user:secret-pw@proxy.test']) {
    it(`fails with INVALID_INPUT on ${value.slice(0, 4)}…, naming the variable but not the password`, () => {
      let error: unknown;
      try {
        resolveProxy(undefined, { HTTPS_PROXY: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SortieError);
      expect((error as SortieError).code).toBe(ErrorCode.INVALID_INPUT);
      expect((error as SortieError).message).toContain('HTTPS_PROXY');
      expect((error as SortieError).message).not.toContain('secret-pw');
    });
  }
});
