/** Loopback ports for tests: one nothing listens on, and whether something accepts connections on one. */
import { connect, createServer } from 'node:net';

/** A port on 127.0.0.1 that nothing listens on (bound to port 0, then released). Also a free port to start on. */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port was assigned');
  return address.port;
}

/** Whether something accepts TCP connections on host:port within a second. */
export function isReachable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host, timeout: 1000 });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Whether to skip the tests of a service (a database on the machine): it is unreachable and `CI` is not set. Prints
 * why either way; with `CI` set the tests run and fail, so a CI run cannot be green with a service missing.
 */
export async function shouldSkipService(name: string, port: number): Promise<boolean> {
  if (await isReachable(port)) return false;
  if (process.env.CI) {
    console.warn(`${name} is not reachable at 127.0.0.1:${port}; CI is set, so its tests run and fail`);
    return false;
  }
  console.warn(`${name} is not reachable at 127.0.0.1:${port}: skipping its tests (with CI set they would fail)`);
  return true;
}
