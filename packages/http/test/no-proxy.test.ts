import { describe, expect, it } from 'vitest';
import { createNoProxyMatcher } from '../src/no-proxy.js';

describe('noProxy entries, read as curl and Go read them', () => {
  it('matches host names, their subdomains and a port', () => {
    const direct = createNoProxyMatcher('internal.test, .corp.test,*.svc.test api.test:8443');
    expect(direct('internal.test', 80)).toBe(true);
    expect(direct('a.b.internal.test', 80)).toBe(true);
    expect(direct('notinternal.test', 80)).toBe(false);
    expect(direct('corp.test', 80)).toBe(true);
    expect(direct('x.corp.test', 80)).toBe(true);
    expect(direct('x.svc.test', 80)).toBe(true);
    expect(direct('API.test', 8443)).toBe(true);
    expect(direct('api.test', 443)).toBe(false);
  });

  it('matches IPv4 and IPv6 addresses however they are written, with or without brackets', () => {
    const direct = createNoProxyMatcher('::1,[fd00::7]:8080,192.168.1.10');
    expect(direct('[::1]', 80)).toBe(true);
    expect(direct('[0:0:0:0:0:0:0:1]', 80)).toBe(true);
    expect(direct('[fd00::7]', 8080)).toBe(true);
    expect(direct('[fd00::7]', 80)).toBe(false);
    expect(direct('192.168.1.10', 443)).toBe(true);
    expect(direct('192.168.1.11', 443)).toBe(false);
  });

  it('matches addresses in CIDR ranges (not host names)', () => {
    const direct = createNoProxyMatcher('10.0.0.0/8,fd00::/8,[2001:db8::]/32:443');
    expect(direct('10.20.30.40', 80)).toBe(true);
    expect(direct('11.0.0.1', 80)).toBe(false);
    expect(direct('[fd12::1]', 80)).toBe(true);
    expect(direct('[fe80::1]', 80)).toBe(false);
    expect(direct('[2001:db8::5]', 443)).toBe(true);
    expect(direct('[2001:db8::5]', 80)).toBe(false);
    expect(direct('ten.example', 80)).toBe(false);
  });

  it('reaches everything directly with *, and nothing with no entries', () => {
    expect(createNoProxyMatcher('*')('anything.test', 1)).toBe(true);
    expect(createNoProxyMatcher('')('anything.test', 1)).toBe(false);
  });
});
