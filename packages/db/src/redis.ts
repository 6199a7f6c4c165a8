/**
 * Redis through ioredis: any command as an array (`["HGETALL", "user:1"]`) and pipelines (several
 * commands sent together, one reply each). One connection per named connection.
 * @see https://redis.io/docs/latest/develop/use/pipelining/
 */
import { ErrorCode, SortieError } from '@sortie/core';
import { Redis, type RedisOptions } from 'ioredis';
import { throwIfCancelled } from './cancel-signal.js';
import { markConnectFailure } from './db-error.js';
import { parseSafeInteger, toJsonSafe } from './json-safe.js';
import { ResultBudget, readResultLimit } from './result-limit.js';
import { readTlsOptions } from './tls-options.js';
import { type CancelSignal, type DatabaseConnection, type DbDriver, type DbOperation, type DbResult, DEFAULT_DB_TIMEOUT } from './types.js';

type Command = Array<string | number>;

/** Creates the Redis driver of one connection; it connects on first use. */
export function createRedisDriver(config: DatabaseConnection): DbDriver {
  let client: Redis | undefined;
  let ready: Promise<void> | undefined;

  const connect = async (): Promise<Redis> => {
    // A client that gave up reconnecting (the server was down for a while) or was closed by QUIT
    // stays closed ("Connection is closed."): open a new one, as a pool would.
    if (client !== undefined && client.status === 'end') client = undefined;
    if (client === undefined) {
      const created = createClient(config);
      // ioredis rejects connect() with "Connection is closed."; the socket's own error (ECONNREFUSED
      // with host and port) comes through the 'error' event: report that one.
      let socketError: unknown;
      created.on('error', (error: unknown) => {
        socketError ??= error;
      });
      client = created;
      // ioredis selects the database itself but only reports a failure ("ERR DB index is out of range")
      // as an 'error' event, and the commands then run on database 0: select it here, where it can fail.
      const { db } = created.options;
      const opening: Promise<unknown> = db !== undefined && db !== 0 ? created.connect().then(() => created.select(db)) : created.connect();
      ready = withinConnectTimeout(opening, config.timeout ?? DEFAULT_DB_TIMEOUT)
        .then(() => undefined)
        .catch((error: unknown) => {
          created.disconnect();
          if (client === created) client = undefined;
          // The server's refusal (WRONGPASS, ERR DB index is out of range) is about the connection's settings.
          throw markConnectFailure(socketError ?? error);
        });
    }
    const current = client;
    await ready;
    return current;
  };

  return {
    async execute(op: DbOperation, signal?: CancelSignal): Promise<DbResult> {
      const redis = await connect();
      // A blocking command (BLPOP …) holds the connection: drop it and reconnect when the operation times out.
      const reset = () => redis.disconnect(true);
      const stopListening = signal?.onAbort(reset);
      try {
        throwIfCancelled(signal);
        const operation = op.redis!;
        const commands = Array.isArray(operation) ? [operation] : operation.pipeline;
        for (const command of commands) refuseModeChange(command);
        refuseLastingState(commands);
        const result = Array.isArray(operation)
          ? readReply(await sendCommand(redis, operation))
          : await sendPipeline(redis, operation.pipeline);
        return withinLimit(result, new ResultBudget(readResultLimit(op, config)));
      } catch (error) {
        // NOAUTH: the server wants a password the connection did not give; no command can run without it.
        throw error instanceof Error && error.message.startsWith('NOAUTH') ? markConnectFailure(error) : error;
      } finally {
        stopListening?.();
        // QUIT closes the connection once the server has replied: the next operation opens a new one.
        if (isQuit(op.redis!)) {
          if (client === redis) client = undefined;
          redis.disconnect();
        }
      }
    },
    async close(): Promise<void> {
      const current = client;
      client = undefined;
      if (current === undefined) return;
      // QUIT waits for the server's reply: one that never answered (still connecting) would hold the run's end.
      if (current.status !== 'ready') current.disconnect();
      else await current.quit().catch(() => current.disconnect());
    },
  };
}

/**
 * Bounds opening the connection by the connection's `timeout`: ioredis's connectTimeout covers the TCP
 * (or TLS) connect only, and a server that accepts and never answers (not Redis, a TLS connection to a
 * plain one) held the operation to its own timeout, reported as a slow command. The timer starts
 * before the operation's, so this error comes first.
 */
function withinConnectTimeout<T>(opening: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`the server did not complete the connection within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([opening, limit]).finally(() => clearTimeout(timer));
}

/** A Redis database is a number: the connection's `database`, or the path of its `url` (`redis://host:6379/2`). */
function checkDatabaseNumber(db: unknown, config: DatabaseConnection): void {
  if (db === undefined || (typeof db === 'number' && Number.isSafeInteger(db) && db >= 0)) return;
  const written = config.database === undefined ? "the url's path" : JSON.stringify(String(config.database));
  throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid database connection', `a Redis database is a number (0, 1, …), got ${written}`, {
    hint: 'set "database" to the number, or end the url with it: redis://127.0.0.1:6379/2',
  });
}

function createClient(config: DatabaseConnection): Redis {
  const timeout = config.timeout ?? DEFAULT_DB_TIMEOUT;
  const options: RedisOptions = {
    lazyConnect: true,
    connectTimeout: timeout,
    maxRetriesPerRequest: 1,
    // A command cut off by a timeout must not be sent again after the reconnect.
    autoResendUnfulfilledCommands: false,
    // Reconnect a few times after a dropped connection, then give up instead of queueing forever.
    retryStrategy: (times) => (times > 3 ? null : times * 100),
    // Integer replies as their digits (the parser would round one beyond 2^53); see readValue.
    stringNumbers: true,
  };
  const tls = readTlsOptions(config);
  if (tls !== undefined) options.tls = tls;
  let client: Redis;
  if (config.url !== undefined) client = new Redis(config.url, options);
  else {
    options.host = config.host ?? '127.0.0.1';
    options.port = config.port ?? 6379;
    if (config.user !== undefined) options.username = config.user;
    if (config.password !== undefined) options.password = config.password;
    if (config.database !== undefined) options.db = Number(config.database);
    client = new Redis(options);
  }
  checkDatabaseNumber(client.options.db, config);
  // Errors reach the caller through the command that failed; without a listener ioredis would print them.
  client.on('error', () => undefined);
  silenceNeedlessPasswordWarning(client);
  return client;
}

/**
 * A server without a password answers AUTH with an error ("no password is set", "AUTH <password> called
 * without any password configured for the default user"); ioredis then writes a warning to the console
 * (it has no option against that) and carries on with the connection, which works. A library does not
 * print: the AUTH ioredis sends on (re)connect answers OK instead, as the server accepts every command.
 * A Redis 5 refusing AUTH with a user name fails the connection (ioredis would print and go on without it).
 * @see https://redis.io/docs/latest/commands/auth/
 */
function silenceNeedlessPasswordWarning(client: Redis): void {
  const auth = client.auth.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const patched = (...args: unknown[]): Promise<unknown> => {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as (error: unknown, result?: unknown) => void) : undefined;
    const reply = auth(...args).catch((error: unknown) => {
      if (!(error instanceof Error)) throw error;
      if (isNeedlessPassword(error.message)) return 'OK';
      // Redis 5 and older take AUTH <password> only; ioredis would print this and go on unauthenticated.
      if (error.message.includes("wrong number of arguments for 'auth' command"))
        error.message = `${error.message}: this Redis server (5 or older) takes a password without a user name, remove the user`;
      throw error;
    });
    if (callback !== undefined) reply.then((result) => callback(null, result), callback);
    return reply;
  };
  Object.defineProperty(client, 'auth', { value: patched, configurable: true, writable: true });
}

function isNeedlessPassword(message: string): boolean {
  return message.includes('no password is set') || message.includes('without any password configured for the default user');
}

/**
 * Commands that turn the connection into one that only streams messages (RESP2 subscriber mode, MONITOR):
 * every later command of the run on it would fail. A db operation sends commands and reads their replies.
 * @see https://redis.io/docs/latest/develop/interact/pubsub/
 */
const MODE_COMMANDS = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR']);

function isQuit(operation: NonNullable<DbOperation['redis']>): boolean {
  const commands = Array.isArray(operation) ? [operation] : operation.pipeline;
  return commands.some((command) => String(command[0]).toUpperCase() === 'QUIT');
}

function refuseModeChange(command: Command): void {
  const name = String(command[0]).toUpperCase();
  if (!MODE_COMMANDS.has(name)) return;
  throw new SortieError(
    ErrorCode.INVALID_INPUT,
    'Unsupported Redis command',
    `${name} turns the connection into one that only streams messages, so no later command could run on it; a db operation sends a command and reads its reply`,
    { hint: 'check what the message caused instead, or have it written where a command can read it (a list: LPOP, a stream: XREAD)' },
  );
}

/**
 * Commands whose effect outlasts the operation: the connection is shared by every scenario run (and
 * every later step), so each would change what all later operations do.
 * @see https://redis.io/docs/latest/commands/select/ https://redis.io/docs/latest/commands/hello/
 * https://redis.io/docs/latest/commands/client-reply/ https://redis.io/docs/latest/commands/reset/
 */
function describeLastingState(command: Command): string | undefined {
  const name = String(command[0]).toUpperCase();
  const first = command[1] === undefined ? '' : String(command[1]).toUpperCase();
  if (name === 'SELECT' || name === 'SWAPDB')
    return `${name} changes the database of the connection every later operation of the run uses: give the connection its "database" (or a second connection with another one)`;
  if (name === 'RESET') return 'RESET puts the connection back on database 0 and drops its state for every later operation of the run';
  // RESP3 replies (HELLO 3) are not read: only HELLO 2 (or without a version) leaves the protocol as it is.
  if (name === 'HELLO' && first !== '' && first !== '2')
    return `HELLO ${first} switches the connection to another protocol (RESP${first}), whose replies are not read: only RESP2 is`;
  if (name === 'CLIENT' && String(command[1] ?? '').toUpperCase() === 'REPLY')
    return 'CLIENT REPLY stops the server replying, and a db operation waits for the reply of each command';
  return undefined;
}

/**
 * Refuses an operation that would leave the connection in a state every later operation inherits:
 * SELECT, HELLO 3…, or a MULTI not closed by EXEC or DISCARD in the same operation (every later command of
 * every scenario run was then queued, its reply "QUEUED").
 * @see https://redis.io/docs/latest/develop/interact/transactions/
 */
function refuseLastingState(commands: Command[]): void {
  let open = false;
  for (const command of commands) {
    const problem = describeLastingState(command);
    if (problem !== undefined) throw new SortieError(ErrorCode.INVALID_INPUT, 'Unsupported Redis command', problem);
    const name = String(command[0]).toUpperCase();
    if (name === 'MULTI') open = true;
    else if (name === 'EXEC' || name === 'DISCARD') open = false;
  }
  if (open)
    throw new SortieError(
      ErrorCode.INVALID_INPUT,
      'Unsupported Redis command',
      'MULTI without EXEC or DISCARD after it in the same operation would leave the connection queueing every later command of the run',
      { hint: 'write MULTI, the commands and EXEC together as one operation: { "pipeline": [["MULTI"], …, ["EXEC"]] }' },
    );
}

/**
 * Command names are sent in lower case so ioredis applies its reply transformers (HGETALL → object).
 * Replies come back as bytes (callBuffer) and integers as their digits (stringNumbers): readValue
 * makes them text, base64 or numbers without losing anything.
 */
function sendCommand(redis: Redis, command: Command): Promise<unknown> {
  const [name, ...args] = command;
  return redis.callBuffer(String(name).toLowerCase(), ...args.map(toArgument));
}

/** An argument as Redis takes it, text: a number or boolean as written, an object or array (a variable holding JSON) as JSON text. */
function toArgument(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function sendPipeline(redis: Redis, commands: Command[]): Promise<DbResult> {
  const pipeline = redis.pipeline();
  for (const [name, ...args] of commands) pipeline.callBuffer(String(name).toLowerCase(), ...args.map(toArgument));
  const replies = (await pipeline.exec()) ?? [];
  const values: unknown[] = [];
  for (const [index, [error, reply]] of replies.entries()) {
    if (error) {
      error.message = `pipeline command ${index + 1} (${String(commands[index]?.[0]).toUpperCase()}): ${error.message}`;
      throw error;
    }
    values.push(readValue(reply));
  }
  return { rowCount: values.length, value: values };
}

/**
 * The result, when it is within `budget`: a reply's elements (a pipeline's replies) count as its rows. A
 * reply comes whole from the server, so this keeps a huge one (`LRANGE key 0 -1`) out of the variables
 * and the report, not out of memory.
 */
function withinLimit(result: DbResult, budget: ResultBudget): DbResult {
  for (const item of Array.isArray(result.value) ? result.value : [result.value]) budget.add(item);
  return result;
}

function readReply(reply: unknown): DbResult {
  const value = readValue(reply);
  if (Array.isArray(value)) return { rows: value, rowCount: value.length, value };
  return { rowCount: value === null ? 0 : 1, value };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A reply as JSON: bytes (bulk and status replies) as text when they are UTF-8, else as base64 (as
 * a BLOB column); an integer reply (a string, with stringNumbers) as a number when it is exact, else
 * its digits; arrays and HGETALL objects value by value.
 */
function readValue(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) {
    try {
      return UTF8.decode(reply);
    } catch {
      return reply.toString('base64');
    }
  }
  if (typeof reply === 'string') return parseSafeInteger(reply);
  if (Array.isArray(reply)) return reply.map((item) => readValue(item));
  if (reply !== null && typeof reply === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(reply)) out[key] = readValue(item);
    return out;
  }
  return toJsonSafe(reply);
}
