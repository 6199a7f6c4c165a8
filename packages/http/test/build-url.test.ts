import { describe, expect, it } from 'vitest';
import { buildUrl } from '../src/index.js';

describe('buildUrl', () => {
  it('appends parameters to a URL without a query string', () => {
    expect(buildUrl('http://api.test/items', { page: 2, q: 'red shoes', active: true })).toBe(
      'http://api.test/items?page=2&q=red%20shoes&active=true',
    );
  });

  it('keeps parameters already in the URL exactly as written', () => {
    expect(buildUrl('http://api.test/items?sort=name+asc&x=%2F', { page: 1 })).toBe('http://api.test/items?sort=name+asc&x=%2F&page=1');
  });

  it('repeats the key for array values', () => {
    expect(buildUrl('http://api.test/items', { tag: ['a', 'b', 3] })).toBe('http://api.test/items?tag=a&tag=b&tag=3');
  });

  it('percent-encodes reserved characters in names and values', () => {
    expect(buildUrl('/search', { 'a&b': 'x=y&z', emoji: 'é' })).toBe('/search?a%26b=x%3Dy%26z&emoji=%C3%A9');
  });

  it('keeps the fragment at the end', () => {
    expect(buildUrl('http://api.test/page?x=1#top', { y: 2 })).toBe('http://api.test/page?x=1&y=2#top');
  });

  it('does not double the separator after a trailing ? or &', () => {
    expect(buildUrl('http://api.test/a?', { y: 2 })).toBe('http://api.test/a?y=2');
    expect(buildUrl('http://api.test/a?x=1&', { y: 2 })).toBe('http://api.test/a?x=1&y=2');
  });

  it('returns the URL unchanged without parameters', () => {
    expect(buildUrl('http://api.test/a?x=1', {})).toBe('http://api.test/a?x=1');
    expect(buildUrl('http://api.test/a?x=1')).toBe('http://api.test/a?x=1');
  });

  it('writes an object value as JSON, never as [object Object]', () => {
    expect(buildUrl('http://h/p', { filter: { a: 1 } as never })).toBe('http://h/p?filter=%7B%22a%22%3A1%7D');
  });

  it('encodes a lone surrogate as U+FFFD, as the URL parser does in the path (encodeURIComponent threw "URI malformed")', () => {
    expect(buildUrl('http://h/\ud800', { a: '\udfff', '\ud800': ['x\ud800y', 1] })).toBe(
      'http://h/\ud800?a=%EF%BF%BD&%EF%BF%BD=x%EF%BF%BDy&%EF%BF%BD=1',
    );
    expect(new URL(buildUrl('http://h/\ud800', { a: '\udfff' })).href).toBe('http://h/%EF%BF%BD?a=%EF%BF%BD');
    expect(buildUrl('/p', { pair: '\ud83d\ude00' })).toBe('/p?pair=%F0%9F%98%80');
  });
});
