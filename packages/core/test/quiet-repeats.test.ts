import { afterEach, describe, expect, it, vi } from 'vitest';
import { quietRepeats } from '../src/quiet-repeats.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('quietRepeats', () => {
  it('says a repeated message once a minute with the count left out, and a new one at once', () => {
    vi.useFakeTimers({ now: 0 });
    const said: string[] = [];
    const log = quietRepeats((message) => said.push(message));
    for (let i = 0; i < 5; i++) log('connect ECONNREFUSED');
    expect(said).toEqual(['connect ECONNREFUSED']);
    log('another error');
    log('connect ECONNREFUSED');
    expect(said).toEqual(['connect ECONNREFUSED', 'another error', 'connect ECONNREFUSED']);
    log('connect ECONNREFUSED');
    log('connect ECONNREFUSED');
    vi.setSystemTime(60_001);
    log('connect ECONNREFUSED');
    expect(said.at(-1)).toBe('connect ECONNREFUSED (2 more since)');
    expect(said).toHaveLength(4);
  });
});
