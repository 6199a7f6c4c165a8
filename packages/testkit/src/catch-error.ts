/** The error an operation throws, for tests that assert its `code` (and title, hint). */
import type { SortieError } from '@sortie/core';

/** The error `fn` throws, or a test failure when it returns. */
export function catchError<E = SortieError>(fn: () => unknown): E;
/** The rejection of `promise`, or a test failure when it resolves. */
export function catchError<E = SortieError>(promise: Promise<unknown>): Promise<E>;
export function catchError<E>(operation: (() => unknown) | Promise<unknown>): E | Promise<E> {
  if (typeof operation === 'function') {
    try {
      operation();
    } catch (error) {
      return error as E;
    }
    throw new Error('expected the operation to throw');
  }
  return operation.then(
    () => {
      throw new Error('expected the operation to fail');
    },
    (error: unknown) => error as E,
  );
}
