/**
 * The same collections against the same fixture servers, run by Newman 6 and by Sortie: every test
 * must have the same name and the same outcome, in the same order.
 */
import { startFixtureServer } from '@sortie/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAwsV4Verifier,
  startDigestVerifier,
  startEdgegridVerifier,
  startHawkVerifier,
  startJwtVerifier,
  startNtlmVerifier,
  startOAuth1Verifier,
  type VerifierServer,
} from '../../../fixtures/src/auth-verifiers/index.js';
import { runNewman, runNewmanWithRequests, runSortie, type SideBySideRun } from './side-by-side.js';

const servers: Array<{ close(): Promise<void> }> = [];
const envVars: Record<string, string> = {};

beforeAll(async () => {
  const api = await startFixtureServer();
  servers.push(api);
  envVars.base = api.url;
  const verifiers: Array<[string, Promise<VerifierServer>]> = [
    ['digestUrl', startDigestVerifier({ username: 'ann', password: 'digest-pw', algorithms: ['MD5'], qop: 'auth' })],
    ['hawkUrl', startHawkVerifier({ id: 'hawk-id', key: 'hawk-key-0123456789', algorithm: 'sha256' })],
    [
      'awsUrl',
      startAwsV4Verifier({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        region: 'eu-west-1',
        service: 'execute-api',
      }),
    ],
    ['oauth1Url', startOAuth1Verifier({ consumerKey: 'ck', consumerSecret: 'cs', token: 'tk', tokenSecret: 'ts' })],
    ['ntlmUrl', startNtlmVerifier({ username: 'ann', password: 'ntlm-pw', domain: 'CORP' })],
    ['edgegridUrl', startEdgegridVerifier({ clientToken: 'akab-client', clientSecret: 'edgegrid-secret', accessToken: 'akab-access' })],
    ['jwtUrl', startJwtVerifier({ key: new TextEncoder().encode('jwt-secret-0123456789abcdef0123456789'), algorithms: ['HS256'] })],
  ];
  for (const [name, starting] of verifiers) {
    const server = await starting;
    servers.push(server);
    envVars[name] = server.url;
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function sideBySide(spec: Omit<SideBySideRun, 'envVars'>): Promise<{ newman: string[]; sortie: string[] }> {
  const run = { ...spec, envVars };
  const newman = await runNewman(run);
  const { tests: sortie } = await runSortie(run);
  return { newman, sortie };
}

describe('Newman 6 and Sortie on the same collections', () => {
  it('every body mode, scripts at each level, auth inheritance, variables and settings: the same tests, the same outcomes', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'features.postman_collection.json' });
    expect(newman.length).toBeGreaterThan(30);
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual(['A failing test :: Status code is 201 :: failed']);
    expect(sortie).toEqual(newman);
  });

  it('every auth type Newman supports: accepted by the same servers', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'auth.postman_collection.json' });
    expect(newman).toHaveLength(13);
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual([]);
    expect(sortie).toEqual(newman);
  });

  it('-n 3: what an iteration stores in collection, local and environment variables, the next one sees', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'iterations.postman_collection.json', iterations: 3 });
    expect(newman).toContain('Count :: iteration 2: collection count 4 :: passed');
    expect(newman).toContain('Count :: iteration 1: local iteration 0 :: passed');
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual([]);
    expect(sortie).toEqual(newman);
  });

  it('setNextRequest (forwards, back to itself) over the rows of a data file', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'flow.postman_collection.json', iterationData: 'flow-data.csv' });
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual(['Finish :: Data row 2 expects fail :: failed']);
    expect(sortie).toEqual(newman);
  });

  it('setNextRequest jumps across folders, and null ends the run', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'jumps.postman_collection.json' });
    expect(newman).toEqual(['a1 :: a1 runs :: passed', 'b2 :: b2 runs after a1 :: passed', 'b3 :: b3 follows b2 :: passed']);
    expect(sortie).toEqual(newman);
  });

  it('pm.test without a function passes and pm.test.skip is reported skipped, as postman-sandbox reports them', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'skipped-tests.postman_collection.json' });
    const request = 'Tests without a function and skipped tests';
    expect(newman).toEqual([
      `${request} :: A test without a function :: passed`,
      `${request} :: A skipped test :: skipped`,
      `${request} :: A skipped test without a function :: skipped`,
      `${request} :: Status code is 200 :: passed`,
    ]);
    expect(sortie).toEqual(newman);
  });

  it('an environment (-e) and a globals file (-g) given to both: the same tests, the same outcomes', async () => {
    const { newman, sortie } = await sideBySide({
      collection: 'secrets.postman_collection.json',
      environment: 'local.postman_environment.json',
      globals: 'workspace.postman_globals.json',
    });
    expect(newman).toContain('Environment and globals :: Globals are read :: passed');
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual([]);
    expect(sortie).toEqual(newman);
  });

  it('Collection v3: the v3 folders Sortie runs give what Newman gives on the same collections written as v2.1', async () => {
    for (const [v3, v21] of [
      ['v3/features', 'features.postman_collection.json'],
      ['v3/auth', 'auth.postman_collection.json'],
    ] as const) {
      const newman = await runNewman({ collection: v21, envVars });
      const { tests: sortie } = await runSortie({ collection: v3, envVars });
      expect(newman.length).toBeGreaterThan(10);
      expect(sortie).toEqual(newman);
    }
  });

  it('precedence: the environment (--env-var, pm.environment) above collection variables, globals below them', async () => {
    // The collection's baseUrl points at a dead port: both tools must take the environment's.
    const run = { collection: 'precedence.postman_collection.json', envVars: { ...envVars, baseUrl: envVars.base! } };
    const newman = await runNewman(run);
    const { tests: sortie } = await runSortie(run);
    expect(newman).toHaveLength(12);
    expect(newman.filter((test) => test.endsWith('failed'))).toEqual([]);
    expect(sortie).toEqual(newman);
  });

  it('a GET keeps its saved body unsent (disableBodyPruning sends it), empty folders run nothing, a URL without a scheme is http', async () => {
    const run = { collection: 'pruning.postman_collection.json', envVars: { ...envVars, hostPort: new URL(envVars.base!).host } };
    const newman = await runNewmanWithRequests(run);
    const sortie = await runSortie(run);
    expect(newman.tests).toEqual([
      'GET with a saved body :: GET is sent without the body :: passed',
      'GET with disableBodyPruning :: GET is sent with the body :: passed',
      'URL without a scheme :: sent over http :: passed',
    ]);
    expect(sortie.tests).toEqual(newman.tests);
    expect(sortie.requests).toEqual(newman.requests);
    expect(sortie.result.status).toBe('passed');
  });

  it('a CSV data file is read as Newman reads it: trimmed, unquoted numbers cast, short rows and bare quotes allowed', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'csv.postman_collection.json', iterationData: 'newman-data.csv' });
    expect(newman).toEqual([
      'Row :: header names and values are trimmed, unquoted numbers are numbers :: passed',
      'Row :: row 1: quoted values stay text, 1.50 is the number 1.5 :: passed',
      'Row :: header names and values are trimmed, unquoted numbers are numbers :: passed',
      'Row :: row 2: a short row has no value for the missing columns :: passed',
    ]);
    expect(sortie).toEqual(newman);
  });

  it('a file body without a Content-Type header is sent with the type of its extension, as postman-request sends it', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'file-bodies.postman_collection.json' });
    expect(newman).toEqual([
      'JSON file :: sent as application/json, named after its extension :: passed',
      'Text file :: sent as text/plain :: passed',
      'File with its own Content-Type :: the header wins :: passed',
    ]);
    expect(sortie).toEqual(newman);
  });

  it("pm.sendRequest to a closed port: the callback's error has Node's code (ECONNREFUSED), as postman-runtime gives it", async () => {
    const { newman, sortie } = await sideBySide({ collection: 'send-request-errors.postman_collection.json' });
    expect(newman).toEqual(['Refused :: the callback gets the error with its system code :: passed']);
    expect(sortie).toEqual(newman);
  });

  it('pre-request scripts read and change urlencoded and formdata bodies (mode, get, each, toObject, toString, upsert, add, remove)', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'form-bodies.postman_collection.json' });
    expect(newman).toEqual([
      'Read a urlencoded body :: urlencoded: mode, get (the last of a key), has :: passed',
      'Read a urlencoded body :: urlencoded: each, all, toObject see the enabled fields as written :: passed',
      'Read a urlencoded body :: urlencoded: toString unparses the fields :: passed',
      'Read a urlencoded body :: an unchanged form is sent as Newman sends it, the values of a repeated key together :: passed',
      'Sign a urlencoded body :: urlencoded: upsert, add, remove change the list :: passed',
      "Sign a urlencoded body :: the script's changes are sent: the signature over the other fields :: passed",
      'Change a formdata body :: formdata: mode, get, the file field, toString :: passed',
      'Change a formdata body :: formdata: the changed fields and the file are sent :: passed',
    ]);
    expect(sortie).toEqual(newman);
  });

  it('typed variables: -g values and collection variables keep their JSON type, typed strings are cast as Newman casts them', async () => {
    const { newman, sortie } = await sideBySide({
      collection: 'typed-variables.postman_collection.json',
      globals: 'typed.postman_globals.json',
    });
    expect(newman).toEqual([
      'Typed :: globals keep their JSON type (a boolean, a number) :: passed',
      'Typed :: a global typed boolean or number is cast as postman-collection casts it :: passed',
      'Typed :: collection variables keep their JSON type, typed ones are cast :: passed',
      'Typed :: in a URL they render as text :: passed',
    ]);
    expect(sortie).toEqual(newman);
  });

  it('--folder runs only the folders named, in collection order', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'features.postman_collection.json', folders: ['Bodies'] });
    expect(newman).toHaveLength(12);
    expect(sortie).toEqual(newman);
  });
});

describe('variable names Postman allows', () => {
  it('takes names with spaces and other characters ({{Base URL}}, {{first name}}, {{user:id}}) from every scope, as Newman does', async () => {
    const { newman, sortie } = await sideBySide({
      collection: 'names-with-spaces.postman_collection.json',
      iterationData: 'names-with-spaces.csv',
    });
    const iteration = [
      'names with spaces :: a data column named with a space, in the query :: passed',
      'names with spaces :: a collection variable named with a space, in a header :: passed',
      'names with spaces :: in the body, and a name with a colon :: passed',
      'names with spaces :: replaceIn :: passed',
    ];
    expect(newman).toEqual([...iteration, ...iteration]);
    expect(sortie).toEqual(newman);
  }, 60_000);
});

describe('pm API forms Newman supports', () => {
  it('pm.iterationData.set/unset (for the script), pm.request.url.variables, a test script’s urlencoded fields, setNextRequest by id and to a repeated name', async () => {
    const { newman, sortie } = await sideBySide({ collection: 'pm-gaps.postman_collection.json', iterationData: 'pm-gaps-data.json' });
    const iteration = [
      'Row :: iterationData.set: the script reads it back, pm.variables and replaceIn too :: passed',
      'Row :: iterationData.unset :: passed',
      'Row :: url.variables: a :name segment is a path variable :: passed',
      'Row :: url.variables: its value takes the place of the segment :: passed',
      'Row :: sent to the path variable, with the row as it was read :: passed',
      'Row :: the next script sees the row as it was read :: passed',
      'Row :: a test script sees the resolved URL: no path variables :: passed',
      'Form :: a test script reads a urlencoded body as fields, variables resolved :: passed',
      'Target :: reached by setNextRequest(<request id>) :: passed',
      // postman-runtime's lookup keeps the last request of a name
      'Dup :: the second Dup :: passed',
      'Dup :: its pm.info.requestId is the item id :: passed',
    ];
    expect(newman).toEqual([...iteration, ...iteration]);
    expect(sortie).toEqual(newman);
  }, 60_000);
});
