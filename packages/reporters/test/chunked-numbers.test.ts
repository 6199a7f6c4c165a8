import { describe, expect, it } from 'vitest';
import { ChunkedNumbers } from '../src/shared/chunked-numbers.js';

describe('ChunkedNumbers', () => {
  it('keeps every number set, across chunks, and reads 0 where nothing was set', () => {
    const starts = new ChunkedNumbers('float64');
    const lengths = new ChunkedNumbers('uint32');
    for (let index = 0; index < 5_000; index++) {
      starts.set(index, 2 ** 40 + index * 0.5);
      lengths.set(index, 2 ** 32 - 1 - index);
    }
    for (const index of [0, 1_023, 1_024, 2_047, 2_048, 4_999]) {
      expect(starts.get(index)).toBe(2 ** 40 + index * 0.5);
      expect(lengths.get(index)).toBe(2 ** 32 - 1 - index);
    }
    expect(starts.get(5_000)).toBe(0);
    expect(lengths.get(1_000_000)).toBe(0);
  });

  it('sets an index far past the end, leaving 0 in between', () => {
    const planned = new ChunkedNumbers('uint32');
    planned.set(3_000, 7);
    expect(planned.get(3_000)).toBe(7);
    expect(planned.get(2_999)).toBe(0);
    expect(planned.get(0)).toBe(0);
  });

  it('keeps the numbers set before the first chunk grew (it starts short), at every size it passes', () => {
    const starts = new ChunkedNumbers('float64');
    const lengths = new ChunkedNumbers('uint32');
    const indexes = [0, 15, 16, 17, 31, 32, 100, 511, 512, 1_023, 1_024, 1_025, 3];
    for (const [n, index] of indexes.entries()) {
      starts.set(index, index + 0.25);
      lengths.set(index, index + 1);
      for (const earlier of indexes.slice(0, n + 1)) {
        expect(starts.get(earlier)).toBe(earlier + 0.25);
        expect(lengths.get(earlier)).toBe(earlier + 1);
      }
    }
    for (const unset of [1, 14, 18, 33, 600, 1_022, 1_026]) {
      expect(starts.get(unset)).toBe(0);
      expect(lengths.get(unset)).toBe(0);
    }
  });

  it('sets the first chunk after a later one (the first made short as it was passed)', () => {
    const planned = new ChunkedNumbers('uint32');
    planned.set(2_050, 9);
    planned.set(700, 5);
    planned.set(1_500, 6);
    expect([planned.get(2_050), planned.get(700), planned.get(1_500), planned.get(699), planned.get(1_023)]).toEqual([9, 5, 6, 0, 0]);
  });
});
