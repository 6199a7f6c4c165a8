/**
 * Test helpers: reachability of the machine's database services and random names. When a service
 * is unreachable its tests are skipped with a printed reason — unless CI is set, then they run and fail.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** True when a TCP connection to host:port opens within a second. */
export function isReachable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether to skip the tests of a service; prints why when skipping. */
export async function shouldSkipService(name: string, port: number): Promise<boolean> {
  if (await isReachable(port)) return false;
  if (process.env.CI) {
    console.warn(`${name} is not reachable at 127.0.0.1:${port}; CI is set, so its tests run and fail`);
    return false;
  }
  console.warn(`${name} is not reachable at 127.0.0.1:${port}: skipping its tests (with CI set they would fail)`);
  return true;
}

/** A name unique to this test run, e.g. `sortie_3f9a0c1b`. */
export function createRandomName(prefix = 'sortie'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A port nothing listens on (bound, then released). */
export async function findClosedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

/** The rejection of `promise`, or a failure when it resolves. */
export async function catchError(promise: Promise<unknown>): Promise<Error & { code?: string; title?: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the operation to fail');
}
