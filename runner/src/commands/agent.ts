import { createPlanExecutor, DEFAULT_POOL, POOL_NAME, startAgent } from '@sortie/agent';
import { createConnectionPool } from '@sortie/api';
import { ErrorCode, MAX_TIMER_MS, SortieError, settlesWithin, VERSION } from '@sortie/core';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { wholeNumber } from '../whole-number.js';
import { checkRedisUrl, probeRedis, startUnlessStopped } from './redis-service.js';

const options = {
  redis: { type: 'string' },
  pool: { type: 'string' },
  concurrency: { type: 'string' },
  name: { type: 'string' },
  grace: { type: 'string' },
  'lock-duration': { type: 'string' },
  retries: { type: 'string' },
} as const;

/**
 * `sortie agent --redis URL [--pool NAME] [--concurrency N] [--name NAME] [--grace MS]`: a worker
 * that runs plans from the pool's queue until SIGINT/SIGTERM, then stops gracefully.
 */
export async function agentCommand(argv: readonly string[], terminal: Terminal, signal?: AbortSignal): Promise<number> {
  terminal.stopsGracefully?.({ saysStopping: true });
  const { values, positionals } = parseCommandOptions(argv, options, "run 'sortie agent --help' for usage");
  if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}"`);
  const redisSetting = values.redis ?? terminal.env.SORTIE_REDIS_URL;
  if (redisSetting === undefined) throw usage('sortie agent needs --redis redis://host:port (or SORTIE_REDIS_URL)');
  const redis = checkRedisUrl(redisSetting, 'agent');
  const pool = values.pool ?? DEFAULT_POOL;
  if (!POOL_NAME.test(pool)) throw usage(`invalid pool name "${pool}": letters, digits, "-" and "_", at most 63 characters`);
  const concurrency = count(values.concurrency, '--concurrency') ?? 1;
  const graceMs = milliseconds(values.grace, '--grace') ?? 30_000;
  const lockDurationMs = milliseconds(values['lock-duration'], '--lock-duration');
  const retries = values.retries === undefined ? undefined : wholeNumber(values.retries);
  if (values.retries !== undefined && retries === undefined) {
    throw usage(`--retries expects a whole number (0 or more), got "${values.retries}"`);
  }
  // The agent's runs share keep-alive connections (each run keeps its own cookie jar): no new connection per run.
  const connectionPool = createConnectionPool();
  const agentOptions: Parameters<typeof startAgent>[0] = {
    redis,
    pool,
    concurrency,
    version: VERSION,
    execute: createPlanExecutor({
      env: terminal.env,
      cwd: terminal.cwd,
      version: VERSION,
      connectionPool,
      ...(terminal.sandboxLibrariesDir === undefined ? {} : { sandboxLibrariesDir: terminal.sandboxLibrariesDir }),
    }),
    onLog: (message) => terminal.err(`${new Date().toISOString()} ${message}\n`),
  };
  if (values.name !== undefined) agentOptions.name = agentName(values.name);
  // Shared tokens need the same key on every agent; without it each agent keeps its tokens to itself.
  const tokenKey = terminal.env.SORTIE_TOKEN_KEY;
  if (tokenKey !== undefined && tokenKey !== '') agentOptions.tokenKey = tokenKey;
  if (lockDurationMs !== undefined) agentOptions.lockDurationMs = lockDurationMs;
  if (retries !== undefined) agentOptions.maxStalledCount = retries;
  const unanswered = await probeRedis(redis, 'agent');
  const agent = await startUnlessStopped(startAgent(agentOptions), (started) => started.stop(0), {
    signal,
    terminal,
    redis,
    what: 'sortie agent',
    unanswered,
  });
  if (agent === undefined) {
    await settlesWithin(connectionPool.close(), 1_000);
    return EXIT.OK;
  }
  const sharing = agentOptions.tokenKey === undefined ? 'tokens kept to this agent' : 'tokens shared through Redis';
  terminal.err(`sortie agent ${agent.name}: waiting for runs on pool ${pool} (concurrency ${concurrency}; ${sharing})\n`);
  await new Promise<void>((resolve) => {
    if (signal === undefined || signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  terminal.err(`sortie agent ${agent.name}: stopping; finishing ${agent.busy()} run(s) (grace ${graceMs} ms)\n`);
  await agent.stop(graceMs);
  // The runs are over: their idle connections close at once (a request a run left hanging is not waited for long).
  await settlesWithin(connectionPool.close(), 1_000);
  return EXIT.OK;
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = wholeNumber(value);
  if (n === undefined || n <= 0) throw usage(`${flag} expects a positive whole number, got "${value}"`);
  return n;
}

/**
 * A positive whole number of milliseconds a Node timer holds (about 24.8 days): a longer --grace
 * fired after 1 ms (TimeoutOverflowWarning), so SIGTERM interrupted the runs in hand at once.
 */
function milliseconds(value: string | undefined, flag: string): number | undefined {
  const n = count(value, flag);
  if (n !== undefined && n > MAX_TIMER_MS)
    throw usage(`${flag} expects at most ${MAX_TIMER_MS} milliseconds (about 24 days), got "${value}"`);
  return n;
}

function usage(message: string): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint: "run 'sortie agent --help' for usage" });
}

/** The longest `--name`: it is in every log line, heartbeat, stream entry and run record. */
const MAX_NAME_LENGTH = 200;

/**
 * `--name`: 1 to 200 characters, none a control character (Unicode Cc). A newline or a terminal escape
 * went into each of the agent's log lines and, through the run records, the server's API and dashboard.
 */
function agentName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH && !/\p{Cc}/u.test(name)) return name;
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  throw usage(`--name expects 1 to ${MAX_NAME_LENGTH} characters, none of them a control character, got ${shown}`);
}
