/**
 * The built package holds two copies of errors.ts (the executable's chunk loader throws a SortieError
 * for a missing file of the package, and the chunks have their own): an error of either copy is a
 * SortieError for both, so the engine reports it with its code rather than as an unknown failure.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, isSortieError, SortieError } from '../src/errors.js';

describe('SortieError across copies of its module', () => {
  it('is recognised by instanceof and isSortieError of the other copy, and keeps its code', async () => {
    // A query makes Vite load the module a second time: another class, as another bundle chunk would have.
    const secondCopy = new URL('../src/errors.ts?second-copy', import.meta.url).href;
    const other = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../src/errors.js');
    expect(other.SortieError).not.toBe(SortieError);
    const foreign = new other.SortieError(ErrorCode.NOT_INSTALLED, 'Incomplete installation', 'the sortie package lacks x.cjs');
    expect(foreign instanceof SortieError).toBe(true);
    expect(isSortieError(foreign)).toBe(true);
    expect(new SortieError(ErrorCode.DB, 'Database error', 'boom') instanceof other.SortieError).toBe(true);
    expect(foreign.toJSON()).toEqual({
      code: 'SORTIE_NOT_INSTALLED',
      title: 'Incomplete installation',
      message: 'the sortie package lacks x.cjs',
    });
  });

  it('is not claimed by anything else, and a subclass keeps the usual check', () => {
    const plain = Object.assign(new Error('x'), { code: ErrorCode.DB, title: 'Database error' });
    expect(plain instanceof SortieError).toBe(false);
    expect(isSortieError(null)).toBe(false);
    class Narrower extends SortieError {}
    expect(new SortieError(ErrorCode.DB, 'Database error', 'boom') instanceof Narrower).toBe(false);
    expect(new Narrower(ErrorCode.DB, 'Database error', 'boom') instanceof SortieError).toBe(true);
  });
});
