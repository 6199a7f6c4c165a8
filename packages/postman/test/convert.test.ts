import { describe, expect, it } from 'vitest';
import {
  convertAuth,
  convertCollection,
  convertVariableFile,
  detectPostmanText,
  detectPostmanValue,
  UnsupportedAuth,
} from '../src/index.js';

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const paths = { collectionDir: '/collections' };

describe('detecting Postman files by content', () => {
  it('knows a collection by its schema or _postman_id, whatever the file is called', () => {
    expect(detectPostmanValue({ info: { name: 'x', schema: V21 }, item: [] })).toBe('collection');
    expect(detectPostmanValue({ info: { name: 'x', schema: 'https://schema.postman.com/json/collection/v2.0.0/' } })).toBe('collection');
    expect(detectPostmanValue({ info: { _postman_id: 'abc' } })).toBe('collection');
    expect(detectPostmanValue({ info: { name: 'x' }, steps: [] })).toBeUndefined();
    // Newman runs a collection with no info; a v1 collection is known so that it can be refused by name.
    expect(detectPostmanValue({ item: [] })).toBe('collection');
    expect(detectPostmanText('{ "variable": [], "item": [] }')).toBe('collection');
    expect(detectPostmanValue({ name: 'old', order: [], requests: [] })).toBe('collection');
    expect(detectPostmanValue({ name: 'a scenario', steps: [], item: [] })).toBeUndefined();
    expect(detectPostmanText('{ "name": "a scenario", "steps": [] }')).toBeUndefined();
    expect(detectPostmanText(`{ "info": { "schema": "${V21}" }, `)).toBeUndefined();
  });

  it('tells environments from globals', () => {
    expect(detectPostmanValue({ name: 'e', values: [{ key: 'a', value: '1' }], _postman_variable_scope: 'environment' })).toBe(
      'environment',
    );
    expect(detectPostmanValue({ name: 'g', values: [], _postman_variable_scope: 'globals' })).toBe('globals');
    expect(detectPostmanValue({ values: [{ key: 'a', value: '1' }] })).toBe('environment');
    expect(detectPostmanValue({ variables: { a: 1 } })).toBeUndefined();
  });
});

describe('auth', () => {
  it('reads v2.0 parameters (an object) and v2.1 parameters (a list) alike', () => {
    const v20 = convertAuth({ type: 'basic', basic: { username: 'ann', password: 'pw' } });
    const v21 = convertAuth({
      type: 'basic',
      basic: [
        { key: 'username', value: 'ann' },
        { key: 'password', value: 'pw' },
      ],
    });
    expect(v20).toEqual(v21);
    expect(v21).toEqual({ profile: { type: 'basic', username: 'ann', password: 'pw' }, secretFields: ['password'] });
  });

  it('gets OAuth 2.0 tokens for headless grants and sends a saved token otherwise', () => {
    const grant = convertAuth({
      type: 'oauth2',
      oauth2: {
        grant_type: 'password_credentials',
        accessTokenUrl: 'https://as/token',
        clientId: 'c',
        username: 'u',
        password: 'p',
        accessToken: 'old',
      },
    });
    expect(grant.profile).toMatchObject({ type: 'oauth2', grant: 'password', tokenUrl: 'https://as/token', username: 'u', password: 'p' });
    const saved = convertAuth({
      type: 'oauth2',
      oauth2: { grant_type: 'authorization_code', accessToken: 'tok', addTokenTo: 'queryParams' },
    });
    expect(saved.profile).toEqual({ type: 'apiKey', name: 'access_token', value: 'tok', in: 'query' });
    const browser = convertAuth({
      type: 'oauth2',
      oauth2: { grant_type: 'authorization_code_with_pkce', authUrl: 'https://as/auth', accessTokenUrl: 'https://as/token', clientId: 'c' },
    });
    expect(browser.profile).toMatchObject({ type: 'oauth2', grant: 'authorization_code', pkce: 'S256' });
  });

  it('maps the signing schemes', () => {
    expect(
      convertAuth({
        type: 'awsv4',
        awsv4: { accessKey: 'AK', secretKey: 'SK', region: 'eu-west-1', service: 's3', addAuthDataToQuery: true },
      }).profile,
    ).toEqual({
      type: 'awsv4',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      region: 'eu-west-1',
      service: 's3',
      placement: 'query',
    });
    expect(
      convertAuth({ type: 'hawk', hawk: { authId: 'id', authKey: 'k', algorithm: 'sha1', includePayloadHash: true } }).profile,
    ).toEqual({
      type: 'hawk',
      id: 'id',
      key: 'k',
      algorithm: 'sha1',
      includePayloadHash: true,
    });
    expect(() => convertAuth({ type: 'asap', asap: [] })).toThrow(UnsupportedAuth);
  });
});

describe('collections', () => {
  const collection = {
    info: { name: 'C', schema: V21 },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{t}}' }] },
    event: [
      { listen: 'prerequest', script: { exec: ['// collection'] } },
      { listen: 'test', script: { exec: ['// collection test'] } },
    ],
    variable: [
      { key: 'a', value: '1' },
      { key: 'off', value: 'x', disabled: true },
    ],
    item: [
      {
        name: 'F',
        auth: { type: 'noauth' },
        event: [{ listen: 'prerequest', script: { exec: ['// folder'] } }],
        item: [
          { name: 'inherits noauth', request: { method: 'get', url: 'https://api/x' } },
          { name: 'own basic', request: { url: 'https://api/y', auth: { type: 'basic', basic: { username: 'u', password: 'p' } } } },
          {
            name: 'inherit',
            request: { url: 'https://api/z', auth: { type: 'inherit' } },
            event: [{ listen: 'test', script: { exec: ['// request test'] } }],
          },
        ],
      },
      { name: 'top', request: 'https://api/top' },
    ],
  };

  it('keeps folders as groups, resolves auth through inherit and noauth, and runs scripts in Postman order', () => {
    const { scenario, notes } = convertCollection(collection, paths);
    expect(notes).toEqual([]);
    expect(scenario.defaults).toEqual({ a: '1' });
    expect(scenario.options).toEqual({
      onError: 'continue',
      allowUnresolved: true,
      objectsInText: 'string',
      defaultScheme: 'http',
      carryVariables: true,
    });
    const [folder, top] = scenario.steps as unknown as [{ group: { steps: Array<Record<string, unknown>> } }, Record<string, unknown>];
    const [noauth, basic, inherit] = folder.group.steps;
    expect(noauth).toMatchObject({ name: 'inherits noauth', request: { method: 'GET', url: 'https://api/x', auth: 'none' } });
    expect(basic).toMatchObject({ request: { auth: 'F/own basic' } });
    expect(inherit).toMatchObject({ request: { auth: 'none' } });
    expect(inherit?.pre).toEqual([
      { script: { source: '// collection', name: 'C (pre-request)' } },
      { script: { source: '// folder', name: 'F (pre-request)' } },
    ]);
    expect(inherit?.post).toEqual([
      { script: { source: '// collection test', name: 'C (test)' } },
      { script: { source: '// request test', name: 'F/inherit (test)' } },
    ]);
    expect(top).toMatchObject({ name: 'top', request: { url: 'https://api/top', auth: 'C' } });
    expect(scenario.auth).toEqual({
      profiles: { C: { type: 'bearer', token: '{{t}}', prefix: 'Bearer' }, 'F/own basic': { type: 'basic', username: 'u', password: 'p' } },
    });
  });

  it('names the request settings it does not apply in a warning, inherited ones too', () => {
    const { notes } = convertCollection(
      {
        info: { name: 'S', schema: V21 },
        protocolProfileBehavior: { disableCookies: true },
        item: [
          { name: 'keeps method', request: 'https://api/a', protocolProfileBehavior: { followOriginalHttpMethod: true } },
          {
            name: 'keeps auth',
            request: 'https://api/b',
            protocolProfileBehavior: { followAuthorizationHeader: true, disableCookies: false },
          },
        ],
      },
      paths,
    );
    expect(notes).toEqual([
      {
        path: 'keeps method',
        level: 'warning',
        message: 'protocolProfileBehavior followOriginalHttpMethod, disableCookies are not supported: redirects and cookies work as usual',
      },
      {
        path: 'keeps auth',
        level: 'warning',
        message: 'protocolProfileBehavior followAuthorizationHeader is not supported: redirects and cookies work as usual',
      },
    ]);
  });

  it('sends no credential for an auth missing what it needs (a bearer token, an API key name, an OAuth 2.0 token), as postman-runtime does', () => {
    const { scenario, notes } = convertCollection(
      {
        info: { name: 'E', schema: V21 },
        auth: { type: 'bearer', bearer: [{ key: 'token', value: '' }] },
        item: [
          { name: 'inherits empty bearer', request: 'https://api/a' },
          { name: 'also inherits it', request: 'https://api/b' },
          {
            name: 'api key without a name',
            request: { url: 'https://api/c', auth: { type: 'apikey', apikey: [{ key: 'value', value: 'v' }] } },
          },
          {
            name: 'oauth2 without a token',
            request: { url: 'https://api/d', auth: { type: 'oauth2', oauth2: [{ key: 'grant_type', value: 'implicit' }] } },
          },
        ],
      },
      paths,
    );
    expect(scenario.steps.map((step) => (step as { request?: { auth?: string } }).request?.auth)).toEqual(['none', 'none', 'none', 'none']);
    expect(notes).toEqual([]);
  });

  it('--folder keeps the ancestors’ scripts and auth, and names what it did not find', () => {
    const { scenario, missingFolders } = convertCollection(collection, { ...paths, folders: ['inherit', 'nope'] });
    expect(missingFolders).toEqual(['nope']);
    expect(scenario.steps).toHaveLength(1);
    expect(scenario.steps[0]).toMatchObject({ name: 'inherit', request: { auth: 'none' } });
    expect((scenario.steps[0] as { pre?: unknown[] }).pre).toHaveLength(2);
  });
});

describe('typed variables', () => {
  // What postman-collection's Variable#get gives (Newman 6.2.2 on the same values: see
  // runner/test/newman typed-variables): JSON types kept, `string` / `number` / `boolean` cast.
  const values = [
    { key: 'n', value: 7, type: 'number' },
    { key: 'flag', value: true, type: 'boolean' },
    { key: 'port', value: '8080', type: 'number' },
    { key: 'off', value: 'false', type: 'boolean' },
    { key: 'id', value: 42, type: 'string' },
    { key: 'nan', value: 'abc', type: 'number' },
    { key: 'obj', value: { a: 1 }, type: 'string' },
    { key: 'plain', value: 9, type: 'default' },
  ];
  const expected = { n: 7, flag: true, port: 8080, off: true, id: '42', nan: 'abc', obj: { a: 1 }, plain: 9 };

  it('collection variables keep their JSON type and are cast by their type, as Newman reads them', () => {
    const { scenario } = convertCollection({ info: { name: 'c', schema: V21 }, variable: values, item: [] }, paths);
    expect(scenario.defaults).toEqual(expected);
  });

  it('environment and globals values too; a secret stays text', () => {
    const converted = convertVariableFile({ values: [...values, { key: 's', value: 5, type: 'secret' }] });
    expect(converted.variables).toEqual(expected);
    expect(converted.secrets).toEqual({ s: '5' });
  });
});
