import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode, isFetchBadPort, SortieError, VERSION } from '@sortie/core';
import { createApiToken, isTokenScope, loadBundlePlan, openStore, sqliteFile, startServer, TOKEN_SCOPES } from '@sortie/server';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { wholeNumber } from '../whole-number.js';
import { checkRedisUrl, probeRedis, startUnlessStopped } from './redis-service.js';

const options = {
  redis: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  database: { type: 'string' },
  'retention-days': { type: 'string' },
  scope: { type: 'string' },
  name: { type: 'string' },
} as const;

/** `sortie server …`, `sortie server token create|list|delete` and `sortie server schedule …`. */
export async function serverCommand(argv: readonly string[], terminal: Terminal, signal?: AbortSignal): Promise<number> {
  if (argv[0] === 'schedule') {
    const { scheduleCommand } = await import('./server-schedule.js');
    return scheduleCommand(argv.slice(1), terminal);
  }
  terminal.stopsGracefully?.({ saysStopping: true });
  const { values, positionals } = parseCommandOptions(argv, options, "run 'sortie server --help' for usage");
  const dataDir = resolve(terminal.cwd, values['data-dir'] ?? 'sortie-server');
  const database = resolveSqlite(values.database ?? terminal.env.SORTIE_DATABASE_URL, terminal.cwd);
  if (positionals[0] === 'token') return tokenCommand(positionals.slice(1), values, dataDir, database, terminal);
  if (positionals.length > 0)
    throw usage(
      `unknown server command "${positionals[0]}"`,
      'commands: sortie server [options], sortie server token create|list|delete, sortie server schedule create|list|pause|resume|delete|run-now',
    );
  const redisSetting = values.redis ?? terminal.env.SORTIE_REDIS_URL;
  if (redisSetting === undefined) throw usage('sortie server needs --redis redis://host:port (or SORTIE_REDIS_URL)');
  const redis = checkRedisUrl(redisSetting, 'server');
  const port = values.port === undefined ? 8787 : wholeNumber(values.port);
  if (port === undefined || port > 65_535) throw usage(`--port expects a port number, got "${values.port}"`);
  // Decimal digits only: Number() took "1e1" (10 days), "0x1e" and "" (as 0: keep everything).
  const retentionDays = values['retention-days'] === undefined ? 30 : wholeNumber(values['retention-days']);
  if (retentionDays === undefined)
    throw usage(`--retention-days expects a whole number of days (0 keeps all), got "${values['retention-days']}"`);
  let waitingForLock = false;
  const serverOptions: Parameters<typeof startServer>[0] = {
    redis,
    port,
    host: values.host ?? '127.0.0.1',
    dataDir,
    retentionDays,
    version: VERSION,
    loadPlan: loadBundlePlan,
    onLog: (message) => terminal.err(`${new Date().toISOString()} ${message}\n`),
    // A start slowed by another server's lock says so, and not that it waits for Redis.
    onDataDirWait: (message) => {
      waitingForLock = true;
      terminal.err(`${new Date().toISOString()} ${message}\n`);
    },
  };
  if (database !== undefined) serverOptions.database = database;
  const unanswered = await probeRedis(redis, 'server');
  const server = await startUnlessStopped(startServer(serverOptions), (started) => started.close(), {
    signal,
    terminal,
    redis,
    what: 'sortie server',
    unanswered,
    waitsForOtherReason: () => waitingForLock,
  });
  if (server === undefined) return EXIT.OK;
  const history = database === undefined ? undefined : sqliteFile({ dataDir, database });
  terminal.err(`sortie server listening on ${server.url} (data in ${dataDir}${history === undefined ? '' : `, history in ${history}`})\n`);
  if (isFetchBadPort(port)) {
    terminal.err(
      `warning: port ${port} is one of the Fetch standard's bad ports: browsers (the dashboard), \`sortie run --remote\` and other fetch clients refuse to connect to it; choose another --port unless a proxy serves it on another\n`,
    );
  }
  await new Promise<void>((done) => {
    if (signal === undefined || signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return EXIT.OK;
}

async function tokenCommand(
  args: string[],
  values: { scope?: string | undefined; name?: string | undefined },
  dataDir: string,
  database: string | undefined,
  terminal: Terminal,
): Promise<number> {
  const action = args[0];
  // list and delete read the server's tokens: a mistyped --data-dir listed none (exit 0), said
  // "no token with the id", and left an empty sortie.db in a new folder there.
  if (database === undefined && (action === 'list' || action === 'delete') && !existsSync(join(dataDir, 'sortie.db'))) {
    throw usage(
      `no server data in ${dataDir} (it has no sortie.db)`,
      "give the server's --data-dir (default: sortie-server in the current folder), or its --database",
    );
  }
  // The same with a `sqlite:` --database: a mistyped path listed no token, exit 0, and left an empty file there.
  const file = database === undefined ? undefined : sqliteFile({ dataDir, database });
  if (file !== undefined && file !== ':memory:' && (action === 'list' || action === 'delete') && !existsSync(file)) {
    throw usage(`no server data in ${file} (no such file)`, "give the server's --database");
  }
  const store = await openStore(database === undefined ? { dataDir } : { dataDir, database });
  try {
    if (action === 'create') {
      const scope = values.scope;
      if (!isTokenScope(scope)) throw usage(`sortie server token create needs --scope ${TOKEN_SCOPES.join('|')}`);
      const { token, record } = await createApiToken(store, { name: tokenName(values.name) ?? scope, scope });
      // The only time the token exists in clear: printed once, stored as a hash.
      terminal.out(`${token}\n`);
      terminal.err(`token ${record.id} (${record.name}, scope ${scope}) created; it is shown only now\n`);
      return EXIT.OK;
    }
    if (action === 'list') {
      const tokens = await store.listTokens();
      if (tokens.length === 0) terminal.err('no API tokens: create one with `sortie server token create --scope read|submit|admin`\n');
      for (const token of tokens) {
        const used = token.lastUsedAt === undefined ? 'never used' : `last used ${new Date(token.lastUsedAt).toISOString()}`;
        terminal.out(`${token.id}  ${token.scope.padEnd(6)}  ${token.name}  ${used}\n`);
      }
      return EXIT.OK;
    }
    if (action === 'delete') {
      // By id (names need not be unique): a token that leaked stops working at once, sessions too.
      const id = args[1];
      if (id === undefined || id === '' || args.length > 2) {
        throw usage('sortie server token delete needs the id of a token (one)', 'the ids are listed by `sortie server token list`');
      }
      const record = (await store.listTokens()).find((token) => token.id === id);
      if (record === undefined || !(await store.deleteToken(id))) {
        throw usage(`no token with the id ${id}`, 'the ids are listed by `sortie server token list`');
      }
      terminal.err(`token ${record.id} (${record.name}, scope ${record.scope}) deleted\n`);
      return EXIT.OK;
    }
    throw usage(
      `unknown token command "${action ?? ''}"`,
      'sortie server token create --scope read|submit|admin [--name NAME], sortie server token list, sortie server token delete ID',
    );
  } finally {
    await store.close();
  }
}

/**
 * A relative `sqlite:` path of --database (or SORTIE_DATABASE_URL) from the folder the command runs
 * in, as --data-dir is: the server, its unit and `sortie server token` then name one file.
 */
function resolveSqlite(database: string | undefined, cwd: string): string | undefined {
  if (database === undefined) return undefined;
  const file = sqliteFile({ dataDir: cwd, database });
  return file === undefined || file === ':memory:' ? database : `sqlite:${resolve(cwd, file)}`;
}

function usage(message: string, hint = "run 'sortie server --help' for usage"): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

/**
 * `--name` of `sortie server token create`: 1 to 200 characters, none a control character (Unicode
 * Cc), as an agent's and a schedule's. A terminal escape in it reached the terminal of whoever created,
 * listed or deleted the token (it is in those lines).
 */
function tokenName(name: string | undefined): string | undefined {
  if (name === undefined || (name !== '' && name.length <= 200 && !/\p{Cc}/u.test(name))) return name;
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  throw usage(`--name expects 1 to 200 characters, none of them a control character, got ${shown}`);
}
