/**
 * @sortie/testkit — the helpers the tests of every package share. Private: never imported by any `src/` (the
 * dependency rules check it) and not part of the library API.
 */

export { catchError } from './catch-error.js';
export { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
export {
  CLI,
  type CliOptions,
  type CliOutcome,
  ensureBuilt,
  ROOT,
  type RunningCli,
  runSortie,
  type ServiceCli,
  startCli,
  startSortie,
} from './cli.js';
export { expectGolden, goldenIn, isUpdatingGolden } from './golden.js';
export { type ListeningServer, listenOnLoopback, startHttpsServer, startServer, type TestHandler } from './loopback-server.js';
export { normaliseHtmlPage, normaliseJunit, normaliseReport, normaliseText, type PortToHide } from './normalise.js';
export { findClosedPort, isReachable, shouldSkipService } from './ports.js';
