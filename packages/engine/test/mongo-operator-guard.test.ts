/** A variable holding a query operator does not become one inside a MongoDB filter (operator injection), through the real engine. */
import { EnvironmentSchema, ScenarioSchema } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoFixture, startMongoFixture } from '../../../fixtures/src/mongo/index.js';
import { runFlows } from './support/run-flow.js';

describe('MongoDB filter values taken from variables', () => {
  let fixture: MongoFixture;
  let environment: { value: ReturnType<typeof EnvironmentSchema.parse>; file: string; dir: string };

  beforeAll(async () => {
    fixture = await startMongoFixture();
    const url = new URL(fixture.url);
    url.pathname = '/db2_guard';
    environment = {
      value: EnvironmentSchema.parse({ name: 'mongo', databases: { main: { type: 'mongodb', url: url.toString(), timeout: 5000 } } }),
      file: 'env.json',
      dir: process.cwd(),
    };
  });
  afterAll(async () => fixture.close());

  const run = (variables: Record<string, unknown>, filter: unknown) =>
    runFlows(
      [
        {
          value: ScenarioSchema.parse({
            name: 'guard',
            variables,
            steps: [
              { name: 'clean', db: { connection: 'main', mongo: { collection: 'users', op: 'deleteMany', filter: {} } } },
              {
                name: 'seed',
                db: { connection: 'main', mongo: { collection: 'users', op: 'insertMany', documents: [{ name: 'ada' }, { name: 'bob' }] } },
              },
              {
                name: 'find',
                db: { connection: 'main', mongo: { collection: 'users', op: 'countDocuments', filter } },
                post: [{ assert: { jsonpath: { path: '$.value', equals: 1 } } }],
              },
            ],
          }),
          file: 'guard.json',
          dir: process.cwd(),
        },
      ],
      { environment },
    );

  it('refuses a field whose whole-template value is an operator object (it matched every document)', async () => {
    const result = await run({ who: { $gt: '' } }, { name: '{{who}}' });
    const find = result.steps.find((step) => step.name === 'find')!;
    expect(find.status).toBe('error');
    expect(find.error).toMatchObject({
      code: 'SORTIE_INVALID_INPUT',
      message:
        'filter.name is {{who}}, whose value is an object with the query operator "$gt": it would match by that operator, not by the value',
    });
  });

  it('refuses it inside the filters of $or, $and, $nor and $elemMatch too (under $or it matched every document)', async () => {
    for (const [filter, at] of [
      [{ $or: [{ name: 'nobody' }, { name: '{{who}}' }] }, 'filter.$or[1].name'],
      [{ $and: [{ name: '{{who}}' }] }, 'filter.$and[0].name'],
      [{ $nor: [{ name: '{{who}}' }] }, 'filter.$nor[0].name'],
      [{ tags: { $elemMatch: { label: '{{who}}' } } }, 'filter.tags.$elemMatch.label'],
    ] as const) {
      const result = await run({ who: { $ne: null } }, filter);
      const find = result.steps.find((step) => step.name === 'find')!;
      expect({ at, status: find.status, message: find.error?.message }).toEqual({
        at,
        status: 'error',
        message: `${at} is {{who}}, whose value is an object with the query operator "$ne": it would match by that operator, not by the value`,
      });
    }
    const fine = await run({ who: 'ada' }, { $or: [{ name: 'nobody' }, { name: '{{who}}' }] });
    expect(fine.steps.map((step) => step.status)).toEqual(['passed', 'passed', 'passed']);
  });

  it('keeps a plain value, an operator written in the scenario and a condition from a variable under $and', async () => {
    for (const [variables, filter] of [
      [{ who: 'ada' }, { name: '{{who}}' }],
      [{ who: ['ada', 'zed'] }, { name: { $in: '{{who}}' } }],
      [{ f: { name: { $lt: 'b' } } }, { $and: ['{{f}}'] }],
    ] as const) {
      const result = await run(variables, filter);
      expect({ filter, statuses: result.steps.map((step) => step.status) }).toEqual({ filter, statuses: ['passed', 'passed', 'passed'] });
    }
  });

  it('checks the $match stages of an aggregate pipeline as a filter', async () => {
    const aggregate = (variables: Record<string, unknown>, pipeline: unknown[] = [{ $match: { name: '{{who}}' } }]) =>
      runFlows(
        [
          {
            value: ScenarioSchema.parse({
              name: 'guard pipeline',
              variables,
              steps: [
                {
                  name: 'match',
                  db: { connection: 'main', mongo: { collection: 'users', op: 'aggregate', pipeline } },
                },
              ],
            }),
            file: 'guard.json',
            dir: process.cwd(),
          },
        ],
        { environment },
      );
    const refused = (await aggregate({ who: { $ne: null } })).steps[0]!;
    expect(refused.status).toBe('error');
    expect(refused.error?.message).toBe(
      'pipeline[0].$match.name is {{who}}, whose value is an object with the query operator "$ne": it would match by that operator, not by the value',
    );
    expect((await aggregate({ who: 'ada' })).steps[0]!.status).toBe('passed');
    // Pipelines inside a stage: they were not checked.
    for (const [pipeline, at] of [
      [[{ $facet: { found: [{ $match: { name: '{{who}}' } }] } }], 'pipeline[0].$facet.found[0].$match.name'],
      [
        [{ $lookup: { from: 'users', as: 'x', pipeline: [{ $match: { name: '{{who}}' } }] } }],
        'pipeline[0].$lookup.pipeline[0].$match.name',
      ],
      [
        [{ $limit: 1 }, { $unionWith: { coll: 'users', pipeline: [{ $match: { name: '{{who}}' } }] } }],
        'pipeline[1].$unionWith.pipeline[0].$match.name',
      ],
    ] as const) {
      const nested = (await aggregate({ who: { $ne: null } }, [...pipeline])).steps[0]!;
      expect(nested.error?.message).toBe(
        `${at} is {{who}}, whose value is an object with the query operator "$ne": it would match by that operator, not by the value`,
      );
    }
  });
});
