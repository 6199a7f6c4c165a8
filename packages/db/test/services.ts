/**
 * Test helpers of the database tests: random names here; reachability, skipping an unreachable service (unless CI
 * is set, then its tests run and fail), closed ports and `catchError` come from @sortie/testkit.
 */
import { randomBytes } from 'node:crypto';

export { catchError, findClosedPort, isReachable, shouldSkipService } from '@sortie/testkit';

/** A name unique to this test run, e.g. `sortie_3f9a0c1b`. */
export function createRandomName(prefix = 'sortie'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
