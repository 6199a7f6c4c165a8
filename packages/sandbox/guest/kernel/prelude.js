/** Kept before any script runs: the kernel settles script promises with the original `then`. */
const promiseThen = Promise.prototype.then;
/** The run in progress: set by `exec`, cleared by `finish` (kernel-entry.js). */
// biome-ignore lint/style/useConst: assigned by exec and finish (kernel-entry.js)
let run = null;
