import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSourceText } from '@sortie/config';
import { AssertionSchema, type HeaderList } from '@sortie/core';
import { catchError } from '@sortie/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Contract, evaluateAssertion, loadContract, loadOpenApiDocument } from '../src/index.js';
import { makeContext, makeResponse } from './make-response.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/openapi');
const options = { read: (path: string) => readFile(path), parse: parseSourceText, display: (path: string) => relative(FIXTURES, path) };

function json(value: unknown, status = 200, headers: HeaderList = [], url = 'https://zoo.example.com/v1/animals/7') {
  const response = makeResponse({ status, headers: [['Content-Type', 'application/json'], ...headers], body: JSON.stringify(value) });
  return { ...response, url };
}

function check(contract: Contract, method: string, response: ReturnType<typeof json>, operation?: string) {
  const ctx = makeContext(response);
  ctx.request = { method, url: response.url };
  ctx.contract = (spec) => (spec === 'zoo.yaml' ? contract : undefined);
  const assertion = AssertionSchema.parse({ openapi: operation === undefined ? { spec: 'zoo.yaml' } : { spec: 'zoo.yaml', operation } });
  return evaluateAssertion(assertion, ctx);
}

describe('contract assertions, OpenAPI 3.0', () => {
  let zoo: Contract;
  beforeAll(async () => {
    zoo = await loadContract(join(FIXTURES, 'contract/zoo-3.0.yaml'), options);
  });

  it('passes a response that keeps the contract, found by method, server path and path template', () => {
    const dog = { kind: 'dog', id: 7, name: 'Rex', owner: null, weight: 12.5 };
    expect(check(zoo, 'GET', json(dog))).toEqual([{ selector: 'openapi getAnimal', operator: 'contract', passed: true, source: 'assert' }]);
  });

  it('prefers a concrete path to a templated one', () => {
    const url = 'https://zoo.example.com/v2/animals/latest';
    expect(check(zoo, 'GET', json({ kind: 'Cat', id: 1, lives: 9 }, 200, [], url))[0]).toMatchObject({
      selector: 'openapi getLatestAnimal',
      passed: true,
    });
  });

  it('lists every violation with its JSON pointer, expected and actual', () => {
    const results = check(zoo, 'GET', json({ kind: 'dog', id: 'seven', owner: 3, weight: 0 }));
    expect(results.map(({ operator, pointer, expected, actual, message }) => ({ operator, pointer, expected, actual, message }))).toEqual([
      {
        operator: 'schema',
        pointer: '/name',
        expected: 'present',
        actual: undefined,
        message: 'response body /name: the required property is missing',
      },
      {
        operator: 'schema',
        pointer: '/id',
        expected: 'integer',
        actual: 'seven',
        message: 'response body /id: expected integer, got string "seven"',
      },
      {
        operator: 'schema',
        pointer: '/owner',
        expected: 'string or null',
        actual: 3,
        message: 'response body /owner: expected string or null, got number 3',
      },
      { operator: 'schema', pointer: '/weight', expected: '> 0', actual: 0, message: 'response body /weight: expected > 0, got 0' },
    ]);
  });

  it('follows the discriminator: the implicit mapping by schema name, the branch’s own rules', () => {
    const results = check(zoo, 'GET', json({ kind: 'Cat', id: 2, lives: 10, color: 'blue' }));
    expect(results.map((r) => r.message)).toEqual([
      'response body /lives: expected <= 9, got 10',
      'response body /color: "blue" is not one of ["black","white","ginger",null]',
    ]);
    const unknown = check(zoo, 'GET', json({ kind: 'bird', id: 3 }));
    expect(unknown.map((r) => r.message)).toEqual(['response body /kind: "bird" is not one of ["dog","Cat"]']);
  });

  it('does not require a writeOnly property in a response and refuses one that is there', () => {
    const results = check(zoo, 'GET', json({ kind: 'dog', id: 7, name: 'Rex', password: 'hunter2' }));
    expect(results).toMatchObject([
      {
        operator: 'schema',
        pointer: '/password',
        expected: 'absent (writeOnly)',
        message: 'response body /password: a writeOnly property must not be in a response',
      },
    ]);
  });

  it('reports an undocumented status with the documented ones, and a response range (4XX) with its own media type', () => {
    const [teapot] = check(zoo, 'GET', json({}, 418, [], 'https://zoo.example.com/v1/animals/latest'));
    expect(teapot).toMatchObject({
      operator: 'status',
      expected: ['200'],
      actual: 418,
      message: 'status 418 is not documented (documented: 200)',
    });
    const problem = makeResponse({
      status: 400,
      headers: [['Content-Type', 'application/problem+json']],
      body: '{"title":"Bad","status":"400"}',
    });
    const results = check(zoo, 'GET', { ...problem, url: 'https://zoo.example.com/v1/animals' });
    expect(results.map((r) => r.message)).toEqual(['response body /status: expected integer, got string "400"']);
  });

  it('checks the content type and the required headers', () => {
    const list = check(zoo, 'GET', {
      ...makeResponse({ headers: [['Content-Type', 'text/html']], body: '<p>' }),
      url: 'https://zoo.example.com/v1/animals',
    });
    expect(list.map((r) => r.message)).toEqual([
      'the required header X-Total-Count is missing',
      'content type text/html is not documented for 200 (documented: application/json)',
    ]);
    const withHeader = json([], 200, [['x-total-count', '0']], 'https://zoo.example.com/v1/animals');
    expect(check(zoo, 'GET', withHeader)).toMatchObject([{ passed: true }]);
    const noContent = json({ gone: true }, 204, [], 'https://zoo.example.com/v1/animals/latest');
    expect(check(zoo, 'DELETE', noContent).map((r) => r.message)).toEqual([
      'response 204 documents no body, but it has one (application/json)',
    ]);
  });

  it('names a request no operation matches, and takes the operation from operationId when given', () => {
    expect(check(zoo, 'GET', json({}, 200, [], 'https://zoo.example.com/v3/animals'))[0]).toMatchObject({
      selector: 'openapi GET /v3/animals',
      operator: 'operation',
      passed: false,
      message: 'contract/zoo-3.0.yaml has no operation for GET /v3/animals',
    });
    // Without a server's prefix, the path as the description writes it (a mock server serves it at its root).
    expect(check(zoo, 'GET', json([], 200, [['X-Total-Count', '0']], 'http://127.0.0.1:4010/animals'))).toMatchObject([{ passed: true }]);
    const created = check(zoo, 'POST', json({ kind: 'dog', id: 9, name: 'Fido' }, 201, [], 'http://127.0.0.1:1/whatever'), 'createAnimal');
    expect(created).toMatchObject([{ selector: 'openapi createAnimal', passed: true }]);
  });

  it('says so when the body is not JSON', () => {
    const response = {
      ...makeResponse({ headers: [['Content-Type', 'application/json']], body: '{oops' }),
      url: 'https://zoo.example.com/v1/animals/1',
    };
    expect(check(zoo, 'GET', response)[0]?.message).toMatch(/^the body is not JSON: /);
  });
});

describe('contract assertions, OpenAPI 3.1', () => {
  let zoo: Contract;
  beforeAll(async () => {
    zoo = await loadContract(join(FIXTURES, 'contract/zoo-3.1.yaml'), options);
  });

  it('validates as JSON Schema 2020-12: type arrays, const, prefixItems, unevaluatedProperties', () => {
    const ok = json({ kind: 'Dog', id: 1, name: 'Rex', owner: null }, 200, [['ETag', '"1"']], 'http://127.0.0.1:9/api/animals/1');
    expect(check(zoo, 'GET', ok)).toMatchObject([{ passed: true }]);
    const extra = json({ kind: 'Dog', id: 1, name: 'Rex', colour: 'brown' }, 200, [['ETag', '"1"']], 'http://127.0.0.1:9/api/animals/1');
    expect(check(zoo, 'GET', extra).map((r) => r.message)).toEqual(['response body /colour: the property is not in the schema']);
    const position = json([91, 0, 3], 200, [], 'http://127.0.0.1:9/api/animals/1/position');
    expect(check(zoo, 'GET', position).map((r) => r.message)).toEqual([
      'response body /0: expected <= 90, got 91',
      'response body /: must NOT have more than 2 items',
    ]);
  });
});

describe('contract assertions: responses, headers and path items by $ref', () => {
  let shop: Contract;
  beforeAll(async () => {
    shop = await loadContract(join(FIXTURES, 'contract/shared-parts-3.1.yaml'), options);
  });
  const at = (path: string, status: number, body: string, headers: HeaderList) => ({
    ...makeResponse({ status, headers, body }),
    url: `https://shop.example.com/api${path}`,
  });
  const messages = (results: ReturnType<typeof check>) => results.map((result) => (result.passed ? 'passed' : result.message));

  it('follows a response $ref to its content, its schema and its headers (a header by $ref too)', () => {
    const order = (body: unknown, headers: HeaderList = [['X-Request-Id', 'r-1']]) =>
      at('/orders/7', 200, JSON.stringify(body), [['Content-Type', 'application/json'], ...headers]);
    expect(messages(check(shop, 'GET', order({ id: 7, total: 9.5 })))).toEqual(['passed']);
    expect(messages(check(shop, 'GET', order({ id: 7 })))).toEqual(['response body /total: the required property is missing']);
    expect(messages(check(shop, 'GET', order({ id: 7, total: 1 }, [])))).toEqual(['the required header X-Request-Id is missing']);
  });

  it('follows a response $ref that is itself a $ref, and one documented without a body', () => {
    const problem = (body: unknown) => at('/orders/8', 404, JSON.stringify(body), [['Content-Type', 'application/problem+json']]);
    expect(messages(check(shop, 'GET', problem({ title: 'Not found', status: 404 })))).toEqual(['passed']);
    expect(messages(check(shop, 'GET', problem({ title: 'Not found' })))).toEqual([
      'response body /status: the required property is missing',
    ]);
    expect(messages(check(shop, 'GET', at('/orders/8', 401, '', [])))).toEqual(['passed']);
    expect(messages(check(shop, 'GET', at('/orders/8', 401, '{}', [['Content-Type', 'application/json']])))).toEqual([
      'response 401 documents no body, but it has one (application/json)',
    ]);
  });

  it('finds an operation of a path item given by $ref, and its default response by $ref', () => {
    const refund = at('/refunds', 201, '{"amount":3}', [['Content-Type', 'application/json']]);
    expect(check(shop, 'POST', refund)).toMatchObject([{ selector: 'openapi createRefund', passed: true }]);
    const refused = at('/refunds', 409, '{"title":"Too late"}', [['Content-Type', 'application/problem+json']]);
    expect(messages(check(shop, 'POST', refused))).toEqual(['response body /status: the required property is missing']);
  });
});

describe('contract assertions, what a description shares through components', () => {
  let kennel: Contract;
  beforeAll(async () => {
    kennel = await loadContract(join(FIXTURES, 'contract/kennel-3.1.yaml'), options);
  });

  it('follows a response $ref (components/responses) to its content and headers', () => {
    const error = json({ message: 'no' }, 500, [['X-Request-Id', 'r1']], 'http://127.0.0.1:9/dogs');
    expect(check(kennel, 'GET', error)).toMatchObject([{ selector: 'openapi listDogs', passed: true }]);
    const wrong = json({ message: 3 }, 500, [], 'http://127.0.0.1:9/dogs');
    expect(check(kennel, 'GET', wrong).map((r) => r.message)).toEqual([
      'the required header X-Request-Id is missing',
      'response body /message: expected string, got number 3',
    ]);
    const none = makeResponse({ status: 204 });
    expect(check(kennel, 'DELETE', { ...none, url: 'http://127.0.0.1:9/dogs' })).toMatchObject([{ passed: true }]);
    const some = json({}, 204, [], 'http://127.0.0.1:9/dogs');
    expect(check(kennel, 'DELETE', some).map((r) => r.message)).toEqual([
      'response 204 documents no body, but it has one (application/json)',
    ]);
  });

  it('follows a header $ref (components/headers): a required one must be there', () => {
    const missing = json([], 200, [], 'http://127.0.0.1:9/dogs');
    expect(check(kennel, 'GET', missing).map((r) => r.message)).toEqual(['the required header X-Rate-Limit is missing']);
  });

  it('finds the operations of a path item $ref (components/pathItems) by path and by operationId', () => {
    const found = json({ id: 1 }, 200, [], 'http://127.0.0.1:9/kennels/1');
    expect(check(kennel, 'GET', found)).toMatchObject([{ selector: 'openapi getKennel', passed: true }]);
    const notFound = json({ message: 'gone' }, 404, [['X-Request-Id', 'r2']], 'http://127.0.0.1:9/kennels/2');
    expect(check(kennel, 'GET', notFound, 'getKennel')).toMatchObject([{ selector: 'openapi getKennel', passed: true }]);
    expect(kennel.operationIds).toEqual(['getKennel', 'listDogs', 'forgetDogs', 'getWalker', 'getTag']);
  });

  it('takes the values of a discriminator without mapping from the branches’ const and enum', () => {
    const ok = json(
      [
        { type: 'puppy', age: 1 },
        { type: 'greyhound', speed: 60 },
        { type: 'hound', speed: 30 },
      ],
      200,
      [['X-Rate-Limit', '10']],
      'http://127.0.0.1:9/dogs',
    );
    expect(check(kennel, 'GET', ok)).toMatchObject([{ passed: true }]);
    const bad = json([{ type: 'puppy', age: 3 }, { type: 'cat' }], 200, [['X-Rate-Limit', '10']], 'http://127.0.0.1:9/dogs');
    expect(check(kennel, 'GET', bad).map((r) => r.message)).toEqual([
      'response body /0/age: expected <= 1, got 3',
      'response body /1/type: "cat" is not one of ["puppy","hound","greyhound"]',
    ]);
  });

  it('checks the oneOf as written when two branches allow the same discriminator value', () => {
    const professional = json({ role: 'walker', licence: 'L-1' }, 200, [], 'http://127.0.0.1:9/walkers/1');
    expect(check(kennel, 'GET', professional)).toMatchObject([{ selector: 'openapi getWalker', passed: true }]);
    const neither = json({ role: 'walker', dogs: 5 }, 200, [], 'http://127.0.0.1:9/walkers/1');
    expect(check(kennel, 'GET', neither).map((r) => r.message)).toContain('response body /: must match exactly one schema in oneOf');
  });
});

describe('contract assertions, what descriptions write that JSON Schema 2020-12 does not say', () => {
  let kennel: Contract;
  beforeAll(async () => {
    kennel = await loadContract(join(FIXTURES, 'contract/kennel-3.1.yaml'), options);
  });

  it('reads nullable: true in a 3.1 description as 3.0 does, even without a type', () => {
    const ok = json({ name: 'a:b', owner: null }, 200, [], 'http://127.0.0.1:9/tags/a');
    expect(check(kennel, 'GET', ok)).toMatchObject([{ selector: 'openapi getTag', passed: true }]);
    const bad = json({ name: 'a:b', owner: 3 }, 200, [], 'http://127.0.0.1:9/tags/a');
    expect(check(kennel, 'GET', bad).map((r) => r.message)).toContain('response body /owner: expected string, got number 3');
  });

  it('reads a boolean exclusiveMinimum in a 3.1 description as 3.0 does', () => {
    const zero = json({ name: 'a', uses: 0 }, 200, [], 'http://127.0.0.1:9/tags/a');
    expect(check(kennel, 'GET', zero).map((r) => r.message)).toEqual(['response body /uses: expected > 0, got 0']);
    expect(check(kennel, 'GET', json({ name: 'a', uses: 1 }, 200, [], 'http://127.0.0.1:9/tags/a'))).toMatchObject([{ passed: true }]);
  });

  it('checks a pattern that is no Unicode regular expression (an escaped ":") as a plain one', () => {
    const bad = json({ name: 'a b' }, 200, [], 'http://127.0.0.1:9/tags/a');
    expect(check(kennel, 'GET', bad).map((r) => r.message)).toEqual(['response body /name: must match pattern "^[a-zA-Z0-9_\\-\\:]+$"']);
  });
});

describe('contract assertions, a schema that cannot be compiled', () => {
  it('fails the assertion with the schema and the reason instead of erroring the step', async () => {
    const tags = await loadContract(join(FIXTURES, 'contract/broken-pattern-3.1.yaml'), options);
    const results = check(tags, 'GET', json({ slug: 'a' }, 200, [], 'http://127.0.0.1:9/tags/1'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ selector: 'openapi getTag', operator: 'schema', passed: false });
    expect(results[0]?.message).toMatch(
      /^contract\/broken-pattern-3\.1\.yaml #\/paths\/~1tags~1\{id\}\/get\/responses\/200\/content\/application~1json\/schema cannot be used to check a response: .*\^\[a-z/,
    );
  });
});

describe('loading a description', () => {
  it('reads Swagger 2.0 split over files ($refs to other files) and converts it to OpenAPI 3.0', async () => {
    const loaded = await loadOpenApiDocument(join(FIXTURES, 'public/v2.0/yaml/petstore-separate/spec/swagger.yaml'), options);
    expect(loaded.version).toBe('2.0');
    expect(loaded.document.openapi).toMatch(/^3\.0\./);
    expect(loaded.files.map((file) => relative(FIXTURES, file))).toEqual([
      'public/v2.0/yaml/petstore-separate/spec/swagger.yaml',
      'public/v2.0/yaml/petstore-separate/common/Error.yaml',
      'public/v2.0/yaml/petstore-separate/spec/NewPet.yaml',
      'public/v2.0/yaml/petstore-separate/spec/Pet.yaml',
      'public/v2.0/yaml/petstore-separate/spec/parameters.yaml',
    ]);
  });

  it('converts Swagger 2.0 whose parameters and responses are YAML aliases of one anchor', async () => {
    const loaded = await loadOpenApiDocument(join(FIXTURES, 'contract/anchors-2.0.yaml'), options);
    const paths = loaded.document.paths as Record<string, { get: { parameters: unknown[]; responses: Record<string, unknown> } }>;
    for (const path of ['/items', '/tags']) {
      expect(paths[path]?.get.parameters).toEqual([
        { name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 10 } },
      ]);
      expect(Object.keys(paths[path]?.get.responses ?? {})).toEqual(['200']);
    }
  });

  it.each([
    [
      'missing-file-ref.yaml',
      'Invalid OpenAPI description',
      15,
      23,
      '$.paths["/pets"].get.responses["200"].content["application/json"].schema.$ref',
    ],
    [
      'missing-pointer.yaml',
      'Invalid OpenAPI description',
      20,
      23,
      '$.paths["/pets/{id}"].get.responses["200"].content["application/json"].schema.$ref',
    ],
    ['syntax-error.yaml', 'Invalid OpenAPI description', 10, 1, undefined],
    ['not-valid.json', 'Invalid OpenAPI description', 3, 11, '$.info'],
    ['not-openapi.yaml', 'Not an OpenAPI description', undefined, undefined, undefined],
  ])('refuses %s with the place of the problem', async (file, title, line, column, path) => {
    const error = await catchError(loadOpenApiDocument(join(FIXTURES, 'invalid', file), options));
    expect(error).toMatchObject({ code: 'SORTIE_INVALID_INPUT', title });
    const first = error.details[0]?.location ?? error.location;
    expect(first).toMatchObject({ file: `invalid/${file}` });
    expect(first?.line).toBe(line);
    expect(first?.column).toBe(column);
    expect(first?.path).toBe(path);
  });
});
