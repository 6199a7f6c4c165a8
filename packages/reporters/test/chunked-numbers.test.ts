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
});
