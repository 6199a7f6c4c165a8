/**
 * The parts of undici this package uses at run time, imported from their own modules: undici's
 * index also loads fetch, WebSocket, caches and mocks, which costs ~60 ms of every cold start.
 * Types still come from the package's public declarations.
 */
import type { Agent as AgentType, buildConnector as BuildConnector } from 'undici';
import buildConnectorImpl from 'undici/lib/core/connect.js';
import AgentImpl from 'undici/lib/dispatcher/agent.js';

export const Agent: typeof AgentType = AgentImpl;
export const buildConnector: typeof BuildConnector = buildConnectorImpl;
export type Agent = AgentType;
