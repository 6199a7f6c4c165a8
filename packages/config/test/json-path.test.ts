import { describe, expect, it } from 'vitest';
import { formatJsonPath } from '../src/index.js';

describe('formatJsonPath', () => {
  it('renders the root as $', () => {
    expect(formatJsonPath([])).toBe('$');
  });

  it('joins identifier keys with dots and indexes with brackets', () => {
    expect(formatJsonPath(['steps', 0, 'request', 'url'])).toBe('$.steps[0].request.url');
  });

  it('quotes keys that are not identifiers', () => {
    expect(formatJsonPath(['a b'])).toBe('$["a b"]');
    expect(formatJsonPath(['headers', 'Content-Type'])).toBe('$.headers["Content-Type"]');
    expect(formatJsonPath(['0'])).toBe('$["0"]');
    expect(formatJsonPath(['say "hi"'])).toBe('$["say \\"hi\\""]');
  });

  it('keeps $ and _ keys as identifiers', () => {
    expect(formatJsonPath(['$schema', '_x'])).toBe('$.$schema._x');
  });
});
