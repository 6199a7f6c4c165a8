import { type ErrorCode, SortieError } from '@sortie/core';
import { expect } from 'vitest';

/** Runs `act`, expects a SortieError with `code`, and returns it. */
export function expectSortieError(act: () => unknown, code: ErrorCode): SortieError {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SortieError);
  expect((caught as SortieError).code).toBe(code);
  return caught as SortieError;
}
