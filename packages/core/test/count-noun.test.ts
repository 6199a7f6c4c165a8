import { describe, expect, it } from 'vitest';
import { countNoun } from '../src/count-noun.js';

describe('countNoun', () => {
  it('uses the singular for exactly one, the plural otherwise (zero included)', () => {
    expect(countNoun(1, 'error')).toBe('1 error');
    expect(countNoun(0, 'error')).toBe('0 errors');
    expect(countNoun(2, 'error')).toBe('2 errors');
  });

  it('takes an irregular plural', () => {
    expect(countNoun(1, 'pass', 'passes')).toBe('1 pass');
    expect(countNoun(3, 'pass', 'passes')).toBe('3 passes');
    expect(countNoun(2, 'entry', 'entries')).toBe('2 entries');
  });
});
