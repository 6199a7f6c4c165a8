/**
 * A fleet for the tests of remote runs: a redis-server of the test's own, the fixture API, a real
 * `sortie server` and `sortie agent`s (processes of the built CLI), a project folder with the test's
 * files and an API token of each scope. `close()` stops every process it started.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FixtureServer, startFixtureServer } from '@sortie/fixtures';
import { ensureBuilt, runSortie, type ServiceCli, startCli } from '@sortie/testkit';
import { type OwnRedis, startOwnRedis } from '../../../packages/agent/test/redis-server.js';

export type Scope = 'submit' | 'read' | 'admin';

/** A run as `GET /api/runs/:id` answers it (the fields these tests read). */
export interface RunRecord {
  id: string;
  status: string;
  planId: string;
  agent?: string;
  attempt?: number;
  startedAt?: number;
  message?: string;
  counts?: Record<string, number>;
  reports: string[];
}

export interface Fleet {
  redis: OwnRedis;
  api: FixtureServer;
  /** The test's folder: the project, the agents' folder and the server's data dir are in it. */
  work: string;
  /** The folder of the test's files (`files` of startFleet). */
  project: string;
  /** Where the agents run: nothing of the project is there. */
  agentDir: string;
  dataDir: string;
  serverUrl: string;
  tokens: Record<Scope, string>;
  /** Starts a `sortie agent` (`--name name` and `args`) in the agents' folder; it is stopped by `close()`. */
  agent(name: string, args?: string[], env?: Record<string, string>): Promise<ServiceCli>;
  /** A request to the server's API with a token of `scope` (default read): its JSON answer (undefined for none). */
  call<T>(path: string, init?: RequestInit, scope?: Scope): Promise<T>;
  /** The run's record once `until` holds of it (or after 15 s). */
  waitForRun(runId: string, until: (run: RunRecord) => boolean): Promise<RunRecord>;
  close(): Promise<void>;
}

/** A run that is no longer queued or running. */
export const ended = (run: RunRecord) => run.status !== 'queued' && run.status !== 'running';

/**
 * Whether redis-server is missing: the tests that start their own then skip, saying why, except
 * under CI, where they run (and fail).
 */
export function redisServerMissing(what: string): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI) return false;
    console.warn(`redis-server is not installed: skipping ${what} (with CI set they would fail)`);
    return true;
  }
}

/** Starts the fleet; `files` (name → content) are written into the project folder, folders made. */
export async function startFleet(name: string, files: Record<string, string>): Promise<Fleet> {
  ensureBuilt();
  const processes: ChildProcess[] = [];
  const redis = await startOwnRedis();
  const api = await startFixtureServer();
  const work = await mkdtemp(join(tmpdir(), `sortie-${name}-`));
  const close = async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await api.close();
    await redis.close();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const project = join(work, 'project');
    const agentDir = join(work, 'agent');
    const dataDir = join(work, 'server-data');
    await mkdir(agentDir);
    for (const [file, content] of Object.entries(files)) {
      await mkdir(join(project, file, '..'), { recursive: true });
      await writeFile(join(project, file), content);
    }
    const tokens = { submit: '', read: '', admin: '' };
    for (const scope of ['submit', 'read', 'admin'] as const) {
      const created = await runSortie(['server', 'token', 'create', '--scope', scope, '--data-dir', dataDir]);
      if (created.code !== 0) throw new Error(`sortie server token create: ${created.stderr}`);
      tokens[scope] = created.stdout.trim();
    }
    const server = await startCli(['server', '--redis', redis.url, '--port', '0', '--data-dir', dataDir], /listening on (http:\/\/\S+)/, {
      cwd: work,
    });
    processes.push(server.child);
    const serverUrl = server.match[1] as string;
    const call = async <T>(path: string, init: RequestInit = {}, scope: Scope = 'read'): Promise<T> => {
      const response = await fetch(`${serverUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${tokens[scope]}`, ...init.headers },
      });
      const text = await response.text();
      return (text === '' ? undefined : JSON.parse(text)) as T;
    };
    return {
      redis,
      api,
      work,
      project,
      agentDir,
      dataDir,
      serverUrl,
      tokens,
      async agent(agentName, args = [], env = {}) {
        const agent = await startCli(['agent', '--redis', redis.url, '--name', agentName, ...args], /waiting for runs/, {
          env,
          cwd: agentDir,
        });
        processes.push(agent.child);
        return agent;
      },
      call,
      async waitForRun(runId, until) {
        let run = await call<RunRecord>(`/api/runs/${runId}`);
        for (let i = 0; i < 300 && !until(run); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          run = await call<RunRecord>(`/api/runs/${runId}`);
        }
        return run;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
