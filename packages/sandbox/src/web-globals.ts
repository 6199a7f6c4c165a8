/**
 * The few web globals scripts expect that QuickJS lacks: `atob`, `btoa` and
 * `crypto.getRandomValues` / `crypto.randomUUID` (backed by the host's CSPRNG, which uuid and
 * crypto-js need for random values).
 *
 * @see https://html.spec.whatwg.org/multipage/webappapis.html#atob
 * @see https://w3c.github.io/webcrypto/#Crypto-method-getRandomValues
 */
import { randomBytes } from 'node:crypto';
import type { HostFunctions } from './host-bridge.js';

/** Largest `getRandomValues` request in bytes, as in Web Crypto. */
export const MAX_RANDOM_BYTES = 65_536;

/** Host side: random bytes for `crypto.getRandomValues`. */
export function createWebGlobalsHostFunctions(): HostFunctions {
  return {
    randomHex: (length) => {
      const n = Number(length);
      if (!Number.isInteger(n) || n < 0 || n > MAX_RANDOM_BYTES)
        throw new RangeError(`crypto.getRandomValues: ${n} bytes is over the ${MAX_RANDOM_BYTES} byte limit`);
      return randomBytes(n).toString('hex');
    },
  };
}
