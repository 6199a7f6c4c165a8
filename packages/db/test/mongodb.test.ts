/**
 * MongoDB tests: against the wire-protocol test double in fixtures/src/mongo, or against a real
 * server when SORTIE_TEST_MONGODB_URL is set. The same tests run either way.
 */
import { ErrorCode } from '@sortie/core';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoFixture, startMongoFixture } from '../../../fixtures/src/mongo/index.js';
import { DbConnections } from '../src/index.js';
import { catchError, createRandomName, findClosedPort } from './services.js';

const realUrl = process.env.SORTIE_TEST_MONGODB_URL;
const target = realUrl ? 'a real MongoDB server (SORTIE_TEST_MONGODB_URL)' : 'the MongoDB wire-protocol test double';

/** The URL with its path set to `database`. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

describe(`MongoDB driver against ${target}`, () => {
  const database = createRandomName();
  let fixture: MongoFixture | undefined;
  let db: DbConnections;
  let url: string;

  beforeAll(async () => {
    console.info(`MongoDB tests run against ${target}`);
    if (realUrl === undefined) fixture = await startMongoFixture();
    url = withDatabase(realUrl ?? fixture!.url, database);
    db = new DbConnections({ main: { type: 'mongodb', url, timeout: 5000 } });
  });

  afterAll(async () => {
    await db.close();
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
      await fixture?.close();
    }
  });

  it('reports a refused login as a failed connection, without the password (it was an error of the operation)', async () => {
    const withLogin = new URL(url);
    withLogin.username = 'sortie-nobody';
    withLogin.password = 'Wrong-Passw0rd-42';
    const wrong = new DbConnections({ login: { type: 'mongodb', url: withLogin.toString(), timeout: 5000 } });
    try {
      const error = await catchError(wrong.execute({ connection: 'login', mongo: { collection: 'people', op: 'find' } }));
      // A real server: "Authentication failed."; the double has no authentication: "no such command: 'saslStart'".
      expect(error).toMatchObject({
        code: ErrorCode.DB,
        title: 'Database connection failed',
        hint: "the server refused to open the connection: check the connection's user, password and database (or url)",
      });
      expect(`${error.message} ${error.hint}`).not.toContain('Wrong-Passw0rd-42');
    } finally {
      await wrong.close();
    }
  });

  it('round-trips ObjectId and dates given as canonical or relaxed Extended JSON', async () => {
    const id = '65a1b2c3d4e5f60718293a4b';
    const inserted = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'events',
        op: 'insertOne',
        document: {
          _id: { $oid: id },
          kind: 'signup',
          at: { $date: { $numberLong: '1706929506000' } },
          seen: { $date: '2024-02-03T04:05:06Z' },
        },
      },
    });
    expect(inserted).toMatchObject({ rowCount: 1, affectedRows: 1, insertId: id });

    const found = await db.execute({ connection: 'main', mongo: { collection: 'events', op: 'findOne', filter: { _id: { $oid: id } } } });
    expect(found.value).toEqual({
      _id: { $oid: id },
      kind: 'signup',
      at: { $date: '2024-02-03T03:05:06Z' },
      seen: { $date: '2024-02-03T04:05:06Z' },
    });
    expect(found.rowCount).toBe(1);

    const byDate = await db.execute({
      connection: 'main',
      mongo: { collection: 'events', op: 'countDocuments', filter: { seen: { $gte: { $date: '2024-01-01T00:00:00Z' } } } },
    });
    expect(byDate).toEqual({ rowCount: 1, value: 1 });
  });

  it('refuses a $date that is no date instead of storing 1970-01-01', async () => {
    const error = await catchError(
      db.execute({
        connection: 'main',
        mongo: {
          collection: 'baddates',
          op: 'insertOne',
          document: { ok: { $date: '2024-02-03' }, list: [{ when: { $date: 'not a date' } }] },
        },
      }),
    );
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toContain('document.list[0].when: {"$date": …} is not a date');
    const inFilter = await catchError(
      db.execute({ connection: 'main', mongo: { collection: 'baddates', op: 'find', filter: { at: { $gt: { $date: '2024-13-45' } } } } }),
    );
    expect(inFilter.message).toContain('filter.at.$gt: {"$date": …} is not a date');
    // Before: the document was stored with a date of 1970-01-01T00:00:00Z.
    const stored = await db.execute({ connection: 'main', mongo: { collection: 'baddates', op: 'countDocuments', filter: {} } });
    expect(stored.value).toBe(0);
  });

  it('keeps a 64-bit integer beyond 2^53 exact both ways: $numberLong in, its digits out (as a BIGINT)', async () => {
    await db.execute({
      connection: 'main',
      mongo: {
        collection: 'longs',
        op: 'insertOne',
        document: { _id: 1, big: { $numberLong: '9007199254740993' }, small: { $numberLong: '5' }, plain: 5 },
      },
    });
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
    try {
      const stored = await client
        .db(database)
        .collection<{ _id: number; big: unknown }>('longs')
        .findOne({ _id: 1 }, { promoteLongs: false });
      expect(String(stored?.big)).toBe('9007199254740993');
    } finally {
      await client.close();
    }
    const found = await db.execute({ connection: 'main', mongo: { collection: 'longs', op: 'find', filter: { _id: 1 } } });
    expect(found.rows).toEqual([{ _id: 1, big: '9007199254740993', small: 5, plain: 5 }]);
    const one = await db.execute({
      connection: 'main',
      mongo: { collection: 'longs', op: 'findOne', filter: { big: { $numberLong: '9007199254740993' } } },
    });
    expect(one.value).toEqual({ _id: 1, big: '9007199254740993', small: 5, plain: 5 });
  });

  it('finds with operators, projection, sort, skip and limit', async () => {
    await db.execute({
      connection: 'main',
      mongo: {
        collection: 'people',
        op: 'insertMany',
        documents: [
          { name: 'Ada', age: 36, tags: ['math'] },
          { name: 'Grace', age: 45, tags: ['navy', 'cobol'] },
          { name: 'Alan', age: 41 },
          { name: 'Edsger', age: 72, tags: [] },
        ],
      },
    });
    const older = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'people',
        op: 'find',
        filter: { age: { $gt: 40, $lte: 72 }, name: { $ne: 'Edsger' } },
        options: { projection: { _id: 0, name: 1 }, sort: { age: -1 } },
      },
    });
    expect(older).toEqual({ rows: [{ name: 'Grace' }, { name: 'Alan' }], rowCount: 2 });

    const paged = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'people',
        op: 'find',
        filter: { name: { $in: ['Ada', 'Alan', 'Grace'] } },
        options: { sort: { name: 1 }, skip: 1, limit: 1, projection: { _id: 0, name: 1 } },
      },
    });
    expect(paged.rows).toEqual([{ name: 'Alan' }]);

    const tagged = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'people',
        op: 'find',
        filter: { tags: 'cobol', missing: { $exists: false } },
        options: { projection: { _id: 0, name: 1 } },
      },
    });
    expect(tagged.rows).toEqual([{ name: 'Grace' }]);
  });

  it('updates with $set/$inc/$unset, upserts and reports the upserted id', async () => {
    await db.execute({
      connection: 'main',
      mongo: {
        collection: 'stock',
        op: 'insertMany',
        documents: [
          { sku: 'a', qty: 1, old: true },
          { sku: 'b', qty: 2, old: true },
        ],
      },
    });
    const many = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'stock',
        op: 'updateMany',
        filter: { old: true },
        update: { $inc: { qty: 10 }, $unset: { old: '' }, $set: { checked: true } },
      },
    });
    expect(many).toMatchObject({ rowCount: 2, affectedRows: 2 });

    const upsert = await db.execute({
      connection: 'main',
      mongo: { collection: 'stock', op: 'updateOne', filter: { sku: 'c' }, update: { $set: { qty: 5 } }, options: { upsert: true } },
    });
    expect(upsert.value).toMatchObject({ matchedCount: 0, upsertedCount: 1 });
    expect(upsert.insertId).toMatch(/^[0-9a-f]{24}$/);

    const all = await db.execute({
      connection: 'main',
      mongo: { collection: 'stock', op: 'find', options: { sort: { sku: 1 }, projection: { _id: 0 } } },
    });
    expect(all.rows).toEqual([
      { sku: 'a', qty: 11, checked: true },
      { sku: 'b', qty: 12, checked: true },
      { sku: 'c', qty: 5 },
    ]);
  });

  it('aggregates with $match, $group, $sort and $limit', async () => {
    await db.execute({
      connection: 'main',
      mongo: {
        collection: 'orders',
        op: 'insertMany',
        documents: [
          { customer: 'x', total: 10, state: 'paid' },
          { customer: 'y', total: 5, state: 'paid' },
          { customer: 'x', total: 7, state: 'paid' },
          { customer: 'z', total: 100, state: 'open' },
        ],
      },
    });
    const result = await db.execute({
      connection: 'main',
      mongo: {
        collection: 'orders',
        op: 'aggregate',
        pipeline: [
          { $match: { state: 'paid' } },
          { $group: { _id: '$customer', sum: { $sum: '$total' }, orders: { $sum: 1 } } },
          { $sort: { sum: -1 } },
          { $limit: 1 },
        ],
      },
    });
    expect(result).toEqual({ rows: [{ _id: 'x', sum: 17, orders: 2 }], rowCount: 1 });
  });

  it('deletes one or many documents', async () => {
    await db.execute({ connection: 'main', mongo: { collection: 'trash', op: 'insertMany', documents: [{ n: 1 }, { n: 2 }, { n: 3 }] } });
    const one = await db.execute({ connection: 'main', mongo: { collection: 'trash', op: 'deleteOne', filter: { n: { $gte: 2 } } } });
    expect(one).toEqual({ rowCount: 1, affectedRows: 1, value: { deletedCount: 1 } });
    const many = await db.execute({ connection: 'main', mongo: { collection: 'trash', op: 'deleteMany', filter: {} } });
    expect(many.affectedRows).toBe(2);
  });

  it('reports the server message with the operation shape but not the values', async () => {
    const error = await catchError(
      db.execute({
        connection: 'main',
        mongo: { collection: 'people', op: 'aggregate', pipeline: [{ $match: { name: 'private-value-123' } }, { $bogus: 1 }] },
      }),
    );
    expect(error.code).toBe(ErrorCode.DB);
    expect(error.message).toContain('$bogus');
    expect(error.message).toContain('people.aggregate([{"$match": {"name": ?}}, {"$bogus": ?}])');
    expect(error.message).not.toContain('private-value-123');
  });
});

describe('MongoDB connection options', () => {
  it("keeps the URL's own serverSelectionTimeoutMS instead of replacing it with the default timeout (30 s)", async () => {
    const port = await findClosedPort();
    const db = new DbConnections({ gone: { type: 'mongodb', url: `mongodb://127.0.0.1:${port}/test?serverSelectionTimeoutMS=300` } });
    const started = Date.now();
    try {
      const error = await catchError(db.execute({ connection: 'gone', mongo: { collection: 'c', op: 'find' } }));
      expect(error.title).toBe('Database connection failed');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await db.close();
    }
  }, 40_000);
});
