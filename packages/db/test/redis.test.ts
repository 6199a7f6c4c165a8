import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { ErrorCode } from '@sortie/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DbConnections } from '../src/index.js';
import { catchError, createRandomName, findClosedPort, isReachable, shouldSkipService } from './services.js';

const skip = await shouldSkipService('Redis', 6379);

describe.skipIf(skip)('Redis driver (127.0.0.1:6379)', () => {
  const prefix = `${createRandomName('sortie-test')}:`;
  const db = new DbConnections({
    main: { type: 'redis', host: '127.0.0.1', port: 6379 },
    byUrl: { type: 'redis', url: 'redis://127.0.0.1:6379/0' },
  });

  afterAll(async () => {
    const keys = await db.execute({ connection: 'main', redis: ['KEYS', `${prefix}*`] });
    const names = (keys.value as string[]) ?? [];
    if (names.length > 0) await db.execute({ connection: 'main', redis: ['DEL', ...names] });
    await db.close();
  });

  it('runs any command given as an array', async () => {
    const set = await db.execute({ connection: 'main', redis: ['SET', `${prefix}greeting`, 'hello'] });
    expect(set).toEqual({ rowCount: 1, value: 'OK' });
    const got = await db.execute({ connection: 'byUrl', redis: ['get', `${prefix}greeting`] });
    expect(got.value).toBe('hello');
    const missing = await db.execute({ connection: 'main', redis: ['GET', `${prefix}missing`] });
    expect(missing).toEqual({ rowCount: 0, value: null });
  });

  it('returns a hash as an object and a list as rows', async () => {
    await db.execute({ connection: 'main', redis: ['HSET', `${prefix}user:1`, 'name', 'Ada', 'age', 36] });
    const hash = await db.execute({ connection: 'main', redis: ['HGETALL', `${prefix}user:1`] });
    expect(hash.value).toEqual({ name: 'Ada', age: '36' });
    await db.execute({ connection: 'main', redis: ['RPUSH', `${prefix}list`, 'a', 'b', 'c'] });
    const list = await db.execute({ connection: 'main', redis: ['LRANGE', `${prefix}list`, 0, -1] });
    expect(list).toEqual({ rows: ['a', 'b', 'c'], rowCount: 3, value: ['a', 'b', 'c'] });
  });

  it('sends a pipeline and returns one reply per command', async () => {
    const result = await db.execute({
      connection: 'main',
      redis: {
        pipeline: [
          ['SET', `${prefix}counter`, '10'],
          ['INCRBY', `${prefix}counter`, '5'],
          ['GET', `${prefix}counter`],
        ],
      },
    });
    expect(result).toEqual({ rowCount: 3, value: ['OK', 15, '15'] });
  });

  it('returns an integer reply beyond 2^53 as its digits, not a rounded number', async () => {
    const key = `${prefix}big`;
    const incremented = await db.execute({ connection: 'main', redis: ['INCRBY', key, '9007199254740993'] });
    expect(incremented.value).toBe('9007199254740993');
    const piped = await db.execute({
      connection: 'main',
      redis: {
        pipeline: [
          ['INCR', key],
          ['GET', key],
          ['STRLEN', key],
        ],
      },
    });
    expect(piped.value).toEqual(['9007199254740994', '9007199254740994', 16]);
    const small = await db.execute({ connection: 'main', redis: ['DECRBY', key, '9007199254740990'] });
    expect(small.value).toBe(4);
  });

  it('returns a value that is not UTF-8 text as base64, and text as text', async () => {
    const key = `${prefix}bytes`;
    // SETRANGE writes raw bytes: \xff and \xfe are not UTF-8 (a string reply would turn them into U+FFFD).
    await db.execute({ connection: 'main', redis: ['SET', key, 'ab'] });
    await rawSet(key, Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x61]));
    const got = await db.execute({ connection: 'main', redis: ['GET', key] });
    expect(got.value).toBe(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x61]).toString('base64'));
    await db.execute({ connection: 'main', redis: ['SET', key, 'caf\u00e9 \u2615 \u0000'] });
    const text = await db.execute({ connection: 'main', redis: ['GET', key] });
    expect(text.value).toBe('caf\u00e9 \u2615 \u0000');
    const hash = await db.execute({
      connection: 'main',
      redis: {
        pipeline: [
          ['HSET', `${prefix}h`, 'k\u00e9', 'v'],
          ['HGETALL', `${prefix}h`],
        ],
      },
    });
    expect(hash.value).toEqual([1, { 'k\u00e9': 'v' }]);
  });

  it('sends an object or array argument (a variable holding JSON) as JSON text, not "[object Object]"', async () => {
    const key = `${prefix}json`;
    await db.execute({ connection: 'main', redis: ['SET', key, { a: 1, b: [true, null] }] as never });
    expect((await db.execute({ connection: 'main', redis: ['GET', key] })).value).toBe('{"a":1,"b":[true,null]}');
    await db.execute({ connection: 'main', redis: { pipeline: [['SET', key, [1, 'x']] as never, ['APPEND', key, 2.5]] } });
    expect((await db.execute({ connection: 'main', redis: ['GET', key] })).value).toBe('[1,"x"]2.5');
  });

  it('reports the failing pipeline command with the database message', async () => {
    await db.execute({ connection: 'main', redis: ['SET', `${prefix}text`, 'not a number'] });
    const error = await catchError(
      db.execute({
        connection: 'main',
        redis: {
          pipeline: [
            ['GET', `${prefix}text`],
            ['INCR', `${prefix}text`],
          ],
        },
      }),
    );
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toContain('pipeline command 2 (INCR)');
    expect(error.message).toContain('not an integer');
    expect(error.message).toContain('GET ?; INCR ?');
  });

  it('stops a blocking command at its timeout and reconnects', async () => {
    const error = await catchError(db.execute({ connection: 'main', redis: ['BLPOP', `${prefix}never`, 5], timeout: 200 }));
    expect(error.code).toBe(ErrorCode.TIMEOUT);
    const after = await db.execute({ connection: 'main', redis: ['PING'] });
    expect(after.value).toBe('PONG');
  });

  it('uses the database number of the url or of "database", and fails when the server has no such database (it wrote to 0)', async () => {
    const key = `${prefix}in-db`;
    const numbered = new DbConnections({
      one: { type: 'redis', url: 'redis://127.0.0.1:6379/1' },
      tooHigh: { type: 'redis', url: 'redis://127.0.0.1:6379/99999' },
      word: { type: 'redis', host: '127.0.0.1', port: 6379, database: 'abc' },
    });
    try {
      await numbered.execute({ connection: 'one', redis: ['SET', key, 'in one', 'EX', 60] });
      expect((await db.execute({ connection: 'main', redis: ['GET', key] })).value).toBeNull();
      expect((await numbered.execute({ connection: 'one', redis: ['GET', key] })).value).toBe('in one');
      await numbered.execute({ connection: 'one', redis: ['DEL', key] });

      const high = await catchError(numbered.execute({ connection: 'tooHigh', redis: ['SET', key, 'lost'] }));
      expect(high.code).toBe(ErrorCode.DB);
      expect(high.message).toContain('DB index is out of range');
      expect(high.title).toBe('Database connection failed');
      expect((await db.execute({ connection: 'main', redis: ['GET', key] })).value).toBeNull();

      // Before: ioredis sent SELECT NaN and its ReplyError ended the process.
      const word = await catchError(numbered.execute({ connection: 'word', redis: ['PING'] }));
      expect(word.code).toBe(ErrorCode.INVALID_INPUT);
      expect(word.message).toBe('a Redis database is a number (0, 1, …), got "abc"');
    } finally {
      await numbered.close();
    }
  });

  it('reports a refused login (WRONGPASS) as a failed connection, without the password', async () => {
    const wrong = new DbConnections({ bad: { type: 'redis', url: 'redis://sortie-nobody:Wrong-Passw0rd-42@127.0.0.1:6379' } });
    try {
      const error = await catchError(wrong.execute({ connection: 'bad', redis: ['GET', `${prefix}k`] }));
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        hint: "the server refused to open the connection: check the connection's user, password and database (or url)",
      });
      expect(error.message).toContain('WRONGPASS');
      expect(`${error.message} ${error.hint}`).not.toContain('Wrong-Passw0rd-42');
    } finally {
      await wrong.close();
    }
  });

  it('opens a new connection after QUIT closed it', async () => {
    const quit = await db.execute({ connection: 'main', redis: ['QUIT'] });
    expect(quit.value).toBe('OK');
    // Before: "Connection is closed." for every later operation of the run.
    const after = await db.execute({ connection: 'main', redis: ['PING'] });
    expect(after.value).toBe('PONG');
  });

  it('refuses commands that leave the connection only streaming messages, and the connection keeps working', async () => {
    for (const redis of [['SUBSCRIBE', `${prefix}channel`], ['psubscribe', `${prefix}*`], ['MONITOR']]) {
      const error = await catchError(db.execute({ connection: 'main', redis }));
      expect(error.code).toBe(ErrorCode.INVALID_INPUT);
      expect(error.message).toContain(`${String(redis[0]).toUpperCase()} turns the connection into one that only streams messages`);
    }
    const piped = await catchError(db.execute({ connection: 'main', redis: { pipeline: [['PING'], ['SUBSCRIBE', `${prefix}channel`]] } }));
    expect(piped.code).toBe(ErrorCode.INVALID_INPUT);
    // Before: "Connection in subscriber mode, only subscriber commands may be used" from here on.
    const after = await db.execute({ connection: 'main', redis: ['PING'] });
    expect(after.value).toBe('PONG');
  });

  it('connects with a password the server does not need, and prints nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const needless = new DbConnections({ withPassword: { type: 'redis', url: 'redis://:db2-needless@127.0.0.1:6379/0' } });
    try {
      const pong = await needless.execute({ connection: 'withPassword', redis: ['PING'] });
      expect(pong.value).toBe('PONG');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await needless.close();
    }
  });

  it('runs MULTI … EXEC in one operation, and refuses what would change the connection for every later operation', async () => {
    const key = `${prefix}multi`;
    const done = await db.execute({
      connection: 'main',
      redis: { pipeline: [['MULTI'], ['SET', key, 'a', 'EX', 60], ['GET', key], ['EXEC']] },
    });
    expect(done.value).toEqual(['OK', 'QUEUED', 'QUEUED', ['OK', 'a']]);
    const refused: Array<[unknown[] | { pipeline: unknown[][] }, string]> = [
      [['MULTI'], 'MULTI without EXEC or DISCARD after it in the same operation'],
      [{ pipeline: [['MULTI'], ['SET', key, 'b']] }, 'MULTI without EXEC or DISCARD after it in the same operation'],
      [{ pipeline: [['MULTI'], ['EXEC'], ['MULTI']] }, 'MULTI without EXEC or DISCARD after it in the same operation'],
      [['SELECT', 3], 'SELECT changes the database of the connection every later operation of the run uses'],
      [['HELLO', '3'], 'HELLO 3 switches the connection to another protocol (RESP3)'],
      [['client', 'reply', 'off'], 'CLIENT REPLY stops the server replying'],
      [['RESET'], 'RESET puts the connection back on database 0'],
    ];
    for (const [redis, message] of refused) {
      const error = await catchError(db.execute({ connection: 'main', redis: redis as never }));
      expect(error).toMatchObject({ code: ErrorCode.INVALID_INPUT, title: 'Unsupported Redis command' });
      expect(error.message).toContain(message);
    }
    expect((await db.execute({ connection: 'main', redis: { pipeline: [['MULTI'], ['DISCARD']] } })).value).toEqual(['OK', 'OK']);
    expect((await db.execute({ connection: 'main', redis: ['HELLO', '2'] })).value).toEqual(expect.arrayContaining(['proto', 2]));
    // Before: every later command's reply was "QUEUED" (MULTI) or read database 3 (SELECT).
    expect((await db.execute({ connection: 'main', redis: ['GET', key] })).value).toBe('a');
    await db.execute({ connection: 'main', redis: ['DEL', key] });
  });
});

const redisServer = findRedisServer();

describe.skipIf(redisServer === undefined)('Redis driver: a server that goes away and comes back', () => {
  it('reports the server unreachable while it is down, and works again once it is back', async () => {
    const port = await findClosedPort();
    const db = new DbConnections({ own: { type: 'redis', host: '127.0.0.1', port, timeout: 5000 } });
    let server = await startRedis(redisServer!, port);
    try {
      expect((await db.execute({ connection: 'own', redis: ['SET', 'k', 'v'] })).value).toBe('OK');
      await stopRedis(server);
      // ioredis retries a few times, then gives its connection up for good.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const down = await catchError(db.execute({ connection: 'own', redis: ['GET', 'k'] }));
      expect(down.title).toBe('Database connection failed');
      expect(down.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
      server = await startRedis(redisServer!, port);
      // Before: "Connection is closed." until the end of the run.
      expect((await db.execute({ connection: 'own', redis: ['SET', 'k', 'again'] })).value).toBe('OK');
    } finally {
      await db.close();
      await stopRedis(server);
    }
  }, 20_000);
});

function findRedisServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function startRedis(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let tries = 0; tries < 100 && !(await isReachable(port)); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  return child;
}

function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Writes raw bytes with ioredis directly: a scenario's arguments are always text. */
async function rawSet(key: string, bytes: Buffer): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
  try {
    await client.connect();
    await client.set(key, bytes);
  } finally {
    client.disconnect();
  }
}

describe('Redis driver: a server that accepts the connection and never answers', () => {
  it('is a failed connection after the connection timeout, not a Database timeout of the command (ioredis waited for its ready check)', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const db = new DbConnections({ silent: { type: 'redis', url: `redis://:s3cret-pw@127.0.0.1:${port}`, timeout: 500 } });
    try {
      const error = await catchError(db.execute({ connection: 'silent', redis: ['PING'] }));
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        message: `the server did not complete the connection within 500 ms (connection "silent", statement: PING)`,
      });
      // An operation whose own timeout ends first is a Database timeout; closing then does not wait for the
      // server's reply to QUIT, which never comes (close() waited until the test timed out).
      const other = new DbConnections({ silent: { type: 'redis', url: `redis://127.0.0.1:${port}`, timeout: 60_000 } });
      const first = await catchError(other.execute({ connection: 'silent', redis: ['PING'], timeout: 200 }));
      expect(first.title).toBe('Database timeout');
      await other.close();
    } finally {
      await db.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
