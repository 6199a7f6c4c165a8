/**
 * The default profile of an environment or project file (`auth.use`) naming a profile that no file
 * declares: `sortie validate` said every file was valid and `sortie run` sent the requests before it,
 * then made each request using it an "Unknown auth profile" error (exit 1). Both now report it at that
 * `use`, with file, line, column and path, exit 2, before anything is sent. A name declared by the
 * scenarios whose requests use it (not by the environment) stays valid, also through an include.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, goldenIn, type ListeningServer, runSortie, startServer } from '@sortie/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const golden = goldenIn(join(import.meta.dirname, 'golden', 'default-profile'));
let work: string;
let server: ListeningServer;
/** The Authorization header of every request the server received. */
const received: Array<string | undefined> = [];

const write = (name: string, text: string) => {
  mkdirSync(join(work, name, '..'), { recursive: true });
  writeFileSync(join(work, name), text);
};

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'sortie-default-profile-'));
  server = await startServer((request, response) => {
    received.push(request.headers.authorization);
    response.end('{}');
  });
  const request = (name: string, extra = '') => `{ "name": "${name}", "request": { "url": "${server.url}/"${extra} } }`;
  write('typo/env.yaml', 'auth:\n  profiles:\n    main: { type: bearer, token: main-token }\n  use: mian\n');
  write('typo/s.json', `{ "name": "s", "steps": [ ${request('first')} ] }`);
  write('project/sortie.config.json', '{\n  "auth": { "use": "api" }\n}\n');
  write(
    'project/declares.json',
    `{ "name": "declares", "auth": { "profiles": { "api": { "type": "bearer", "token": "own-token" } } }, "steps": [ ${request('a')} ] }`,
  );
  write('project/relies.json', `{ "name": "relies", "steps": [ ${request('b')} ] }`);
  write('project/none.json', `{ "name": "none", "steps": [ ${request('c', ', "auth": "none"')} ] }`);
  write(
    'project/includes.json',
    `{ "name": "includes", "auth": { "profiles": { "api": { "type": "bearer", "token": "caller-token" } } }, "steps": [ { "name": "inc", "include": { "file": "parts/part.json" } } ] }`,
  );
  write('project/parts/part.json', `{ "name": "part", "steps": [ ${request('d')} ] }`);
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('an auth.use of the environment or project file that names no declared profile', () => {
  it('is an error of validate and run at that use (exit 2), and nothing is sent', async () => {
    received.length = 0;
    const transcript: string[] = [];
    const cases: [string, string[]][] = [
      ['typo', ['validate', 's.json', '-e', 'env.yaml']],
      ['typo', ['run', 's.json', '-e', 'env.yaml']],
      // relies.json falls back on the project's default, which only declares.json declares.
      ['project', ['run', 'declares.json', 'relies.json']],
      // No request uses the default, and no file declares it.
      ['project', ['validate', 'none.json']],
    ];
    for (const [folder, args] of cases) {
      const result = await runSortie(args, { cwd: join(work, folder) });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      transcript.push(`$ sortie ${args.join(' ')}\n${result.stderr}`);
    }
    expect(received).toEqual([]);
    golden('unknown-default.err', transcript.join('\n'));
  });

  it('is valid when each scenario whose requests use it declares it, an included file through its caller', async () => {
    received.length = 0;
    const result = await runSortie(['run', 'declares.json', 'none.json', 'includes.json'], { cwd: join(work, 'project') });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(received).toEqual(['Bearer own-token', undefined, 'Bearer caller-token']);
  });
});
