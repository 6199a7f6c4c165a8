import { describe, expect, it } from 'vitest';
import { LazyCookieJar } from '../src/lazy-cookie-jar.js';

describe('LazyCookieJar', () => {
  it('is readable at once and empty until a first cookie is stored', () => {
    const jar = new LazyCookieJar();
    expect(jar.settled()).toBeUndefined();
    expect(jar.readCookieHeader('http://127.0.0.1/')).toBe('');
    expect(jar.readCookies('http://127.0.0.1/')).toEqual({});
  });

  it('takes the cookies received while it loads, in order, and is readable once settled', async () => {
    const jar = new LazyCookieJar();
    jar.storeSetCookies('http://127.0.0.1/login', ['session=one; Path=/']);
    jar.storeSetCookies('http://127.0.0.1/login', ['session=two; Path=/', 'theme=dark; Path=/']);
    const settling = jar.settled();
    expect(settling).toBeInstanceOf(Promise);
    await settling;
    expect(jar.settled()).toBeUndefined();
    expect(jar.readCookieHeader('http://127.0.0.1/items')).toBe('session=two; theme=dark');
    jar.storeSetCookies('http://127.0.0.1/', ['theme=; Path=/; Max-Age=0']);
    expect(jar.readCookies('http://127.0.0.1/items')).toEqual({ session: 'two' });
  });

  it('loads on demand for writers, who read what they wrote at once', async () => {
    const jar = new LazyCookieJar();
    const loaded = await jar.load();
    loaded.storeSetCookies('http://127.0.0.1/', ['fromScript=yes; Path=/']);
    expect(jar.settled()).toBeUndefined();
    expect(jar.readCookies('http://127.0.0.1/')).toEqual({ fromScript: 'yes' });
  });
});
