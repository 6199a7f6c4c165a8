import { describe, expect, it } from 'vitest';
import { measureEditDistance, suggestClosest } from '../src/index.js';

describe('suggestClosest', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(measureEditDistance('lenght', 'length')).toBe(1);
    expect(suggestClosest('lenght', ['upper', 'length'])).toBe('length');
  });

  it('allows max(1, length/3) edits, case-insensitively', () => {
    expect(suggestClosest('hedaers', ['headers', 'body'])).toBe('headers');
    expect(suggestClosest('GE', ['GET'])).toBe('GET');
    expect(suggestClosest('abc', ['xyc'])).toBeUndefined();
    expect(suggestClosest('timout', ['timeout'])).toBe('timeout');
    expect(suggestClosest('methd', ['method'])).toBe('method');
    expect(suggestClosest('mthd', ['method'])).toBeUndefined();
    expect(suggestClosest('Post', ['POST'])).toBe('POST');
  });

  it('never suggests the word itself, and gives the first of equally close candidates', () => {
    expect(suggestClosest('GET', ['GET'])).toBeUndefined();
    expect(suggestClosest('cat', ['bat', 'hat'])).toBe('bat');
    expect(suggestClosest('x', [])).toBeUndefined();
  });
});
