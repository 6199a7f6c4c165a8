/**
 * How the dashboard writes durations (the runs list's and a run page's Duration): a value is rounded
 * before its unit is chosen, so a run of 59.96 s is "1 min 0 s", not "60.0 s", and 999.6 ms is
 * "1.0 s", not "1000 ms".
 */
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../src/dashboard/format.js';

describe('formatDuration', () => {
  it('writes each unit in its range', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-3)).toBe('0 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(3_400)).toBe('3.4 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_780_000)).toBe('1 h 3 min');
  });

  it('rounds before choosing the unit, never "1000 ms", "60.0 s" or "60 s" in minutes', () => {
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(59_940)).toBe('59.9 s');
    expect(formatDuration(59_960)).toBe('1 min 0 s');
    expect(formatDuration(119_600)).toBe('2 min 0 s');
    expect(formatDuration(3_599_700)).toBe('1 h 0 min');
  });
});
