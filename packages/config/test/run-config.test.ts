import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ErrorCode, type SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDotenvFile } from '../src/dotenv-file.js';
import { resolveEnvironmentFile } from '../src/environment-file.js';
import { findProjectFile } from '../src/project-file.js';
import { loadRunConfig } from '../src/run-config.js';

let work: string;
let project: string;

/** Writes a file below the temp folder (creating folders) and returns its absolute path. */
function write(path: string, content: unknown): string {
  const file = join(work, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<SortieError> {
  try {
    await promise;
  } catch (error) {
    return error as SortieError;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sortie-project-'));
  project = join(work, 'project');
  write('project/sortie.config.json', {
    environments: 'envs',
    defaultEnvironment: 'dev',
    variables: { region: 'eu' },
    secrets: ['PROJECT_KEY'],
    http: { ca: ['certs/ca.pem'], cookies: false },
    auth: { profiles: { shared: { type: 'bearer', token: '{{PROJECT_KEY}}' }, api: { type: 'basic', username: 'project' } } },
  });
  write('project/envs/dev.json', {
    name: 'dev',
    variables: { base: 'http://dev' },
    secrets: ['API_TOKEN'],
    http: { cookies: true },
    auth: { profiles: { api: { type: 'basic', username: 'dev' } }, use: 'api' },
  });
  write('project/envs/staging.yaml', 'name: staging\nvariables:\n  base: http://staging\n');
  write('project/envs/missing.json', '{\n  "secrets": [\n    "API_TOKEN",\n    "OTHER_TOKEN"\n  ]\n}\n');
  write('project/envs/committed.json', '{\n  "variables": { "API_TOKEN": "oops" },\n  "secrets": ["API_TOKEN"]\n}\n');
  write('project/.env', '# local secrets\nAPI_TOKEN="from-dotenv"\nPROJECT_KEY=project-from-dotenv\n');
  mkdirSync(join(project, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(work, 'lonely'), { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findProjectFile', () => {
  it('finds the project file in a parent folder', async () => {
    const found = await findProjectFile(join(project, 'sub', 'deeper'));
    expect(found === undefined ? undefined : resolve(found)).toBe(join(project, 'sortie.config.json'));
  });

  it('prefers the nearest folder', async () => {
    write('project/sub/sortie.config.yaml', 'defaultEnvironment: staging\n');
    try {
      const found = await findProjectFile(join(project, 'sub', 'deeper'));
      expect(found === undefined ? undefined : resolve(found)).toBe(join(project, 'sub', 'sortie.config.yaml'));
    } finally {
      rmSync(join(project, 'sub', 'sortie.config.yaml'));
    }
  });

  it('returns undefined when no folder up to the root has one', async () => {
    expect(await findProjectFile(join(work, 'lonely'))).toBeUndefined();
  });
});

describe('resolveEnvironmentFile', () => {
  const folder = () => join(project, 'envs');

  it('looks a name up in the environments folder, whatever the extension', async () => {
    expect(resolve(await resolveEnvironmentFile('dev', { folder: folder(), cwd: work }))).toBe(join(project, 'envs', 'dev.json'));
    expect(resolve(await resolveEnvironmentFile('staging', { folder: folder(), cwd: work }))).toBe(join(project, 'envs', 'staging.yaml'));
  });

  it('takes an existing file or anything ending in .json/.yaml/.yml as a path', async () => {
    expect(await resolveEnvironmentFile(join(project, 'envs', 'dev.json'), { folder: '/nowhere' })).toBe(join(project, 'envs', 'dev.json'));
    expect(await resolveEnvironmentFile('not-there.yml', { folder: folder() })).toBe('not-there.yml');
    write('project/plain-name', '{}');
    expect(resolve(await resolveEnvironmentFile('plain-name', { folder: folder(), cwd: project }))).toBe(join(project, 'plain-name'));
  });

  it('names the environments found when the name is unknown', async () => {
    const error = await rejection(resolveEnvironmentFile('prod', { folder: folder(), cwd: work }));
    expect(error.code).toBe(ErrorCode.USAGE);
    expect(error.message).toMatch(/^no environment "prod" in .*envs$/);
    expect(error.hint).toBe('environments found: committed, dev, missing, staging');
  });

  it('suggests the closest name for a typo', async () => {
    const error = await rejection(resolveEnvironmentFile('stagng', { folder: folder(), cwd: work }));
    expect(error.hint).toBe('environments found: committed, dev, missing, staging (did you mean "staging"?)');
  });

  it('reports an unknown defaultEnvironment at its line and column in the project file, not as if -e had named it', async () => {
    write('typo/sortie.config.json', '{\n  "environments": "envs",\n  "defaultEnvironment": "stagin"\n}\n');
    write('typo/envs/staging.yaml', 'name: staging\n');
    const error = await rejection(loadRunConfig({ cwd: join(work, 'typo'), env: {} }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid project file');
    const [detail] = error.details;
    expect(detail?.location).toMatchObject({ line: 3, column: 25, path: '$.defaultEnvironment' });
    expect(detail?.location?.file).toMatch(/typo[/\\]sortie\.config\.json$/);
    expect(detail?.message).toMatch(/^no environment "stagin" in .*envs$/);
    expect(detail?.hint).toBe('environments found: staging (did you mean "staging"?)');
    // -e with the same typo stays a usage error of the command line.
    const flagged = await rejection(loadRunConfig({ cwd: join(work, 'typo'), env: {}, environment: 'stagin' }));
    expect(flagged.code).toBe(ErrorCode.USAGE);
  });

  it('says so when the folder has no environments, or is not there', async () => {
    write('lonely/readme.txt', 'no environments here');
    const error = await rejection(resolveEnvironmentFile('prod', { folder: join(work, 'lonely'), cwd: work }));
    expect(error.hint).toMatch(/lonely has no environment files/);
    // It said "… has no environment files" of a folder that does not exist (the usual case without a project).
    const absent = await rejection(resolveEnvironmentFile('prod', { folder: join(work, 'absent'), cwd: work }));
    expect(absent.hint).toMatch(
      /^there is no folder .*absent: give an environment file \(\.json, \.yaml or \.yml\), or the name of one in that folder$/,
    );
  });

  it('says that -e was given a folder (it said "no environment" of the folder\u2019s name)', async () => {
    write('a-folder/x.json', '{}');
    const error = await rejection(resolveEnvironmentFile('a-folder', { folder: join(work, 'absent'), cwd: work }));
    expect(error.code).toBe(ErrorCode.USAGE);
    expect(error.message).toBe('a-folder is a folder, not an environment');
    expect(error.hint).toMatch(/^give an environment file \(\.json, \.yaml or \.yml\), or the name of one in .*absent$/);
  });
});

describe('loadRunConfig', () => {
  it('loads the project, its default environment and the secrets from .env', async () => {
    const config = await loadRunConfig({ cwd: join(project, 'sub'), env: {} });
    expect(config.project?.value.variables).toEqual({ region: 'eu' });
    expect(config.environmentFile?.value.name).toBe('dev');
    expect(config.secrets).toEqual({ API_TOKEN: 'from-dotenv', PROJECT_KEY: 'project-from-dotenv' });
    expect(resolve(config.dotenvFile ?? '')).toBe(join(project, '.env'));
  });

  it('lets the process environment win over .env', async () => {
    const config = await loadRunConfig({ cwd: project, env: { API_TOKEN: 'from-process' } });
    expect(config.secrets.API_TOKEN).toBe('from-process');
  });

  it('merges the project auth, http and databases under the environment, the environment winning', async () => {
    const config = await loadRunConfig({ cwd: project, env: {} });
    const environment = config.environment?.value;
    expect(environment?.auth?.profiles?.api).toEqual({ type: 'basic', username: 'dev', password: '' });
    expect(environment?.auth?.profiles?.shared).toMatchObject({ type: 'bearer', token: '{{PROJECT_KEY}}' });
    expect(environment?.auth?.use).toBe('api');
    expect(environment?.http).toEqual({ ca: [join(project, 'certs', 'ca.pem')], cookies: true });
    expect(environment?.variables).toEqual({ base: 'http://dev' });
  });

  it('uses -e over the default environment', async () => {
    const config = await loadRunConfig({ cwd: project, env: {}, environment: 'staging' });
    expect(config.environment?.value.variables).toEqual({ base: 'http://staging' });
    expect(config.environment?.value.auth?.profiles?.shared).toBeDefined();
    expect(config.secrets).toEqual({ PROJECT_KEY: 'project-from-dotenv' });
  });

  it('takes a secret from --env-var over the process environment and .env', async () => {
    const config = await loadRunConfig({
      cwd: project,
      env: { API_TOKEN: 'from-process' },
      environment: 'staging',
      secretOverrides: { PROJECT_KEY: 'from-cli', UNDECLARED: 'ignored' },
    });
    expect(config.secrets).toEqual({ PROJECT_KEY: 'from-cli' });
  });

  it('names every missing secret at its place in the file, without any value', async () => {
    rmSync(join(project, '.env'));
    try {
      const error = await rejection(loadRunConfig({ cwd: project, env: { PROJECT_KEY: 'pk-value' }, environment: 'missing' }));
      expect(error.code).toBe(ErrorCode.INVALID_INPUT);
      expect(error.details.map((d) => [d.message, d.location?.line, d.location?.column, d.location?.path])).toEqual([
        ['secret "API_TOKEN" has no value', 3, 5, '$.secrets[0]'],
        ['secret "OTHER_TOKEN" has no value', 4, 5, '$.secrets[1]'],
      ]);
      expect(error.details[0]?.hint).toBe('set API_TOKEN in the process environment or a .env file');
      expect(JSON.stringify(error.details.map((d) => d.toJSON()))).not.toContain('pk-value');
    } finally {
      write('project/.env', 'API_TOKEN="from-dotenv"\nPROJECT_KEY=project-from-dotenv\n');
    }
  });

  it('treats an empty value as missing', async () => {
    const error = await rejection(loadRunConfig({ cwd: project, env: { OTHER_TOKEN: '' }, environment: 'missing' }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('secret "OTHER_TOKEN" has no value');
  });

  it('refuses a secret that also has a value in the committed file', async () => {
    const error = await rejection(loadRunConfig({ cwd: project, env: {}, environment: 'committed' }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toBe('secret "API_TOKEN" also has a value under "variables"');
    expect(error.location).toMatchObject({ line: 2, column: 18, path: '$.variables.API_TOKEN' });
  });

  it('does not look secrets up when told not to', async () => {
    const config = await loadRunConfig({ cwd: project, env: {}, environment: 'missing', resolveSecrets: false });
    expect(config.secrets).toEqual({});
  });

  it('works without a project file', async () => {
    const config = await loadRunConfig({ cwd: join(work, 'lonely'), env: {} });
    expect(config).toEqual({ secrets: {} });
  });

  it('reports an invalid project file with its location', async () => {
    write('broken/sortie.config.json', '{\n  "reporters": ["cli", "html5"]\n}\n');
    const error = await rejection(loadRunConfig({ cwd: join(work, 'broken'), env: {} }));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid project file');
    expect(error.details[0]?.location).toMatchObject({ line: 2, path: '$.reporters[1]' });
  });
});

describe('loadDotenvFile', () => {
  it('refuses a .env saved as UTF-16 (PowerShell\'s >), saying so, instead of "invalid variable name"', async () => {
    const dir = join(work, 'utf16');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.env'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('API_TOKEN=tok-utf16-secret\r\n', 'utf16le')]));
    const error = await rejection(loadDotenvFile([dir]));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.message).toMatch(/\.env is encoded as UTF-16LE, not UTF-8$/);
  });

  it('refuses a .env that is not UTF-8 at the line of the bad byte, never quoting the value', async () => {
    const dir = join(work, 'latin1');
    mkdirSync(dir, { recursive: true });
    // "pässwort" in Windows-1252: read as UTF-8 the secret would silently become "p\uFFFDsswort".
    writeFileSync(join(dir, '.env'), Buffer.from('A=1\nPASSWORD=p\xe4sswort-secret\n', 'latin1'));
    const error = await rejection(loadDotenvFile([dir]));
    expect(error.code).toBe(ErrorCode.INVALID_INPUT);
    expect(error.title).toBe('Invalid .env file');
    expect(error.location).toMatchObject({ line: 2, column: 11 });
    expect(error.message).toBe('the file is not UTF-8 text: byte 0xE4 is not valid UTF-8');
    expect(JSON.stringify(error)).not.toContain('sswort-secret');
  });
});
