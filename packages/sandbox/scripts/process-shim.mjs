// Injected by bundle-libs.mjs as Node's global `process` (and `require('process')`) into the bundles
// that use it: the working directory is `/` (as in Postman's sandbox), the environment is empty, and
// `nextTick` queues a promise job (QuickJS has no `queueMicrotask`); an error thrown by a tick
// callback is rethrown from a timer, so it fails the script as an uncaught exception ends Node.
const resolved = Promise.resolve();
function rethrow(error) {
  setTimeout(() => {
    throw error;
  }, 0);
}
export const process = {
  env: {},
  cwd: () => '/',
  nextTick(fn, ...args) {
    resolved.then(() => fn(...args)).then(undefined, rethrow);
  },
};
