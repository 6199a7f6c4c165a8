/**
 * The parts of undici this package uses at run time, imported from their own modules: undici's
 * index also loads fetch, WebSocket, caches and mocks, a measurable part of every cold start.
 * Types still come from the package's public declarations.
 *
 * These paths (and the `Dispatcher.prototype.connect` patch in proxy-dispatcher.ts) are undici internals, not its
 * API: package.json pins undici to an exact version, and test/undici-internals.test.ts fails if an update moves
 * or reshapes any of them. Update undici by changing the pin and running that test.
 */
import type { Agent as AgentType, buildConnector as BuildConnector } from 'undici';
import buildConnectorImpl from 'undici/lib/core/connect.js';
import AgentImpl from 'undici/lib/dispatcher/agent.js';

export const Agent: typeof AgentType = AgentImpl;
export const buildConnector: typeof BuildConnector = buildConnectorImpl;
export type Agent = AgentType;
