/**
 * A `sortie server` in the test's process, on a redis-server of the test's own and a temporary
 * data folder, with API tokens made on demand; `close()` stops all three.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OwnRedis, startOwnRedis } from '../../agent/test/redis-server.js';
import { createApiToken } from '../src/api-tokens.js';
import { type RunningServer, type ServerOptions, startServer } from '../src/server.js';
import type { TokenScope } from '../src/store/store.js';

export interface TestServer {
  server: RunningServer;
  redis: OwnRedis;
  /** A new API token of `scope`. */
  token(scope: TokenScope): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const redis = await startOwnRedis();
  const work = await mkdtemp(join(tmpdir(), 'sortie-server-test-'));
  const server = await startServer({
    redis: redis.url,
    port: 0,
    dataDir: join(work, 'data'),
    version: 'test',
    loadPlan: async () => ({}),
    retentionDays: 0,
    ...options,
  });
  return {
    server,
    redis,
    token: async (scope) => (await createApiToken(server.store, { name: scope, scope })).token,
    close: async () => {
      await server.close();
      await redis.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
