/**
 * Script libraries as a team sets them up: hostile or broken manifests are refused at load time
 * with a clear message (never an internal error), `with` problems name the argument and what it
 * may be, two libraries of one name are refused rather than one silently hiding the other.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSortieError, type SortieError } from '@sortie/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../src/index.js';

let work: string;

function write(file: string, content: unknown): string {
  const path = join(work, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function library(dir: string, name: string, scripts: Record<string, unknown>): string {
  write(`${dir}/sortie-library.json`, { name, version: '1.0.0', scripts });
  return join(work, dir);
}

/** A scenario calling `use` with `with`, and the problems loadPlan reports for it. */
async function problemsFor(libraries: string[], use: string, args?: unknown): Promise<string[]> {
  const scenario = write(`scenarios/${use.replaceAll('/', '-')}.json`, {
    name: 'uses',
    steps: [{ name: 's', script: args === undefined ? { use } : { use, with: args } }],
  });
  try {
    await loadPlan({ paths: [scenario], scripts: libraries, cwd: work });
  } catch (error) {
    if (!isSortieError(error)) throw error;
    // A located problem as `line:column path message`; a run-level one as `message (hint)`, the way the CLI shows both.
    if (error.details.length === 0) return [error.hint === undefined ? error.message : `${error.message} (${error.hint})`];
    return error.details.map((detail: SortieError) =>
      detail.location?.line === undefined
        ? detail.message
        : `${detail.location.line}:${detail.location.column} ${detail.location.path} ${detail.message}`,
    );
  }
  return [];
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sortie-libs-'));
  write('.env', 'API_TOKEN=dotenv-secret-value-91c\n');
  write('lib-ok/check.js', 'pm.test("ok", () => {});\n');
  library('lib-ok', 'ok', { check: { file: 'check.js' } });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('script library manifests', () => {
  it('refuses parameters that are not a valid JSON Schema, naming the script, instead of an internal error', async () => {
    const dir = library('lib-badtype', 'badtype', { check: { file: 'check.js', parameters: { type: 'strnig' } } });
    write('lib-badtype/check.js', '');
    const [message] = await problemsFor([dir], 'badtype/check');
    expect(message).toMatch(
      /^7:21 \$\.scripts\.check\.parameters not a valid JSON Schema: type must be equal to one of the allowed values/,
    );
    expect(message).not.toContain('data/');
  });

  it('refuses a $ref to a definition that does not exist', async () => {
    const dir = library('lib-badref', 'badref', { check: { file: 'check.js', parameters: { $ref: '#/$defs/nope' } } });
    write('lib-badref/check.js', '');
    const [message] = await problemsFor([dir], 'badref/check');
    expect(message).toBe("7:21 $.scripts.check.parameters not a valid JSON Schema: can't resolve reference #/$defs/nope from id #");
  });

  // A manifest problem is reported in the manifest, at the "file" value, whenever the library is
  // loaded: also when the scenario calls another script of the library, or none of it.
  it('refuses a script file outside the library folder (../ or a symlink), at its "file" in the manifest, without reading it', async () => {
    const up = library('lib-up', 'up', { leak: { file: '../.env' } });
    const [upMessage] = await problemsFor([up], 'up/leak');
    expect(upMessage).toMatch(/^6:15 \$\.scripts\.leak\.file script "up\/leak" points at .*\.env, outside its library folder .*lib-up/);
    write('lib-link/check.js', '');
    symlinkSync(join(work, '.env'), join(work, 'lib-link', 'link.js'));
    library('lib-link', 'linked', { leak: { file: 'link.js' }, check: { file: 'check.js' } });
    const [linkMessage] = await problemsFor([join(work, 'lib-link')], 'linked/check');
    expect(linkMessage).toMatch(/^6:15 \$\.scripts\.leak\.file .*link\.js \(a link to .*\.env\), outside its library folder/);
    expect(linkMessage).not.toContain('dotenv-secret-value');
    expect(await problemsFor([join(work, 'lib-ok')], 'ok/check')).toEqual([]);
  });

  it('reports a script file that does not exist at its "file" in the manifest, even when the scenario calls another script', async () => {
    const dir = library('lib-missing', 'team', { check: { file: 'check.js' }, nope: { file: 'nope.js' } });
    write('lib-missing/check.js', '');
    expect(await problemsFor([dir], 'team/check')).toEqual([
      `9:15 $.scripts.nope.file script "team/nope" points at ${join(dir, 'nope.js')}, which cannot be read: no such file`,
    ]);
  });

  it('says a "file" of "." is the library folder itself, not that it lies outside that folder', async () => {
    const dir = library('lib-dot', 'dot', { self: { file: '.' } });
    const [message] = await problemsFor([dir], 'dot/self');
    expect(message).toMatch(
      /^6:15 \$\.scripts\.self\.file script "dot\/self" points at .*lib-dot, which is its library folder itself, not a script file$/,
    );
  });

  it('refuses two libraries with the same name instead of letting one hide the other', async () => {
    const first = library('team-a/scripts', 'shared', { one: { file: 'one.js' } });
    const second = library('team-b/scripts', 'shared', { two: { file: 'two.js' } });
    write('team-a/scripts/one.js', '');
    write('team-b/scripts/two.js', '');
    const [message] = await problemsFor([first, second], 'shared/one');
    expect(message).toBe(
      `script libraries ${first} and ${second} are both named "shared" ("use" names a library by the "name" of its sortie-library.json: list only one of them, or rename one)`,
    );
    // The same folder twice is one library, also through a symlink (pnpm's node_modules).
    symlinkSync(first, join(work, 'team-a-link'));
    expect(await problemsFor([first, `${first}/`, join(work, 'team-a-link')], 'shared/one')).toEqual([]);
  });
});

describe('with arguments', () => {
  it('names an unknown argument, lists the allowed values of an enum and a const, and follows $ref', async () => {
    const dir = library('lib-args', 'args', {
      check: {
        file: 'check.js',
        parameters: {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: { type: 'integer', enum: [200, 201] },
            mode: { const: 'strict' },
            item: { $ref: '#/$defs/item' },
          },
          $defs: { item: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 3 } } } },
        },
      },
    });
    write('lib-args/check.js', '');
    expect(await problemsFor([dir], 'args/check', { status: 204, mode: 'lax', item: { id: 'ab' }, extra: 1 })).toEqual([
      '7:16 $.steps[0].script.use arguments of "args/check" do not match its parameters: with has unknown property "extra"; with.status must be one of 200, 201; with.mode must be "strict"; with.item.id must NOT have fewer than 3 characters',
    ]);
    expect(await problemsFor([dir], 'args/check', { status: 200, mode: 'strict', item: { id: 'abc' } })).toEqual([]);
  });

  it('does not require a parameter that has a default, even when listed in required', async () => {
    const parameters = { type: 'object', required: ['status'], properties: { status: { type: 'integer', default: 200 } } };
    const dir = library('lib-default', 'dflt', { check: { file: 'check.js', parameters } });
    write('lib-default/check.js', '');
    expect(await problemsFor([dir], 'dflt/check')).toEqual([]);
    expect(await problemsFor([dir], 'dflt/check', {})).toEqual([]);
    expect(await problemsFor([dir], 'dflt/check', { status: 'x' })).toEqual([
      '7:16 $.steps[0].script.use arguments of "dflt/check" do not match its parameters: with.status must be integer',
    ]);
  });
});

describe('with for a script that declares no parameters', () => {
  // It was accepted and ignored: a misspelt or misplaced argument went unnoticed.
  it('is refused at the with, with a hint to declare parameters', async () => {
    const dir = library('lib-noparams', 'noparams', { boom: { file: 'boom.js' } });
    write('lib-noparams/boom.js', '');
    expect(await problemsFor([dir], 'noparams/boom', { a: 1 })).toEqual([
      '8:17 $.steps[0].script.with "noparams/boom" declares no parameters, so it takes no "with" (declare them under "parameters" of "boom" in its sortie-library.json, or remove "with")',
    ]);
    expect(await problemsFor([dir], 'noparams/boom')).toEqual([]);
  });
});

describe('a misspelt library or script name', () => {
  it('suggests the closest one', async () => {
    const dir = library('lib-typo', 'team', { check: { file: 'check.js' }, boom: { file: 'check.js' } });
    write('lib-typo/check.js', '');
    expect(await problemsFor([dir], 'team/chek')).toEqual([
      '7:16 $.steps[0].script.use library "team" has no script "chek" (scripts: check, boom; did you mean "team/check"?)',
    ]);
    expect(await problemsFor([dir], 'teem/check')).toEqual([
      '7:16 $.steps[0].script.use no script library named "teem" (for "teem/check") (libraries: team; did you mean "team"?)',
    ]);
  });

  it('names both ways to give a library when the run has none (the project file, --scripts)', async () => {
    expect(await problemsFor([], 'acme/check')).toEqual([
      '7:16 $.steps[0].script.use no script library named "acme" (for "acme/check") (list library folders or npm packages under "scripts" in sortie.config.json, or give one with --scripts <dir or package>)',
    ]);
  });
});

describe('npm package libraries', () => {
  it('says a scoped package is installed but does not export its manifest, and how to export it', async () => {
    write('node_modules/@team/closed/package.json', { name: '@team/closed', version: '1.0.0', exports: { '.': './index.js' } });
    library('node_modules/@team/closed', 'closed', { check: { file: 'check.js' } });
    write('node_modules/@team/closed/check.js', '');
    const [message] = await problemsFor(['@team/closed'], 'closed/check');
    expect(message).toContain(
      'no sortie-library.json for script library "@team/closed": the package is installed but its "exports" do not include ./sortie-library.json',
    );
    expect(message).toContain('(add "./sortie-library.json": "./sortie-library.json" to the "exports" of the package\'s package.json)');
    // Exported (another package: Node caches the package.json it read), it loads under the manifest's name.
    write('node_modules/@team/open/package.json', {
      name: '@team/open',
      version: '1.0.0',
      exports: { '.': './index.js', './sortie-library.json': './sortie-library.json' },
    });
    library('node_modules/@team/open', 'open', { check: { file: 'check.js' } });
    write('node_modules/@team/open/check.js', '');
    expect(await problemsFor(['@team/open'], 'open/check')).toEqual([]);
  });

  it('says a package that is not installed is not installed, rather than naming a folder path only', async () => {
    const [message] = await problemsFor(['@team/missing'], 'missing/check');
    expect(message).toContain(
      `no sortie-library.json for script library "@team/missing": no npm package "@team/missing" with a sortie-library.json is installed for ${work}`,
    );
  });
});

describe('manifest problems are located in the manifest, all of them, not at the first `use` of a scenario', () => {
  it('reports a syntax error at its line and column', async () => {
    write('lib-syntax/sortie-library.json', '{ "name": "syntax", "version": "1",\n  "scripts": { "x": { "file": "x.js", } } }');
    expect(await problemsFor([join(work, 'lib-syntax')], 'syntax/x')).toEqual(['2:37 undefined trailing commas are not allowed in JSON']);
  });

  it('reports every schema problem with its path, and suggests the property meant', async () => {
    write(
      'lib-schema/sortie-library.json',
      '{ "name": "schema", "version": "1",\n  "scripts": { "x": { "file": "x.js", "paramters": {} } },\n  "extra": 1 }',
    );
    expect(await problemsFor([join(work, 'lib-schema')], 'schema/x')).toEqual([
      '2:39 $.scripts.x unknown property "paramters" (expected one of: file, description, parameters, examples)',
      '3:3 $ unknown property "extra" (expected one of: $schema, name, version, description, scripts)',
    ]);
  });
});

describe('a library listed in the project file', () => {
  it('that is not found is reported at its entry in the project file', async () => {
    write('proj/sortie.config.json', '{\n  "scripts": [\n    "./libs/there",\n    "./libs/missing"\n  ]\n}\n');
    library('proj/libs/there', 'there', { one: { file: 'one.js' } });
    write('proj/libs/there/one.js', '');
    const scenario = write('proj/tests/uses.json', { name: 'uses', steps: [{ name: 's', script: { use: 'there/one' } }] });
    let error: SortieError | undefined;
    await loadPlan({ paths: [scenario], cwd: join(work, 'proj') }).catch((caught: SortieError) => {
      error = caught;
    });
    expect(error?.title).toBe('Script library not found');
    expect(error?.location).toMatchObject({ line: 4, column: 5, path: '$.scripts[1]' });
    expect(error?.location?.file).toMatch(/sortie\.config\.json$/);
  });
});

describe('when the environment or a secret cannot be loaded', () => {
  // The run's configuration failed (reported on its own), yet the scenarios were then checked with no
  // project at all: every `use` of the project's libraries became "no script library named …".
  it('still checks library calls against the project libraries, reporting only real problems', async () => {
    write('cfg/sortie.config.json', '{\n  "scripts": ["./libs/team"],\n  "secrets": ["CFG_UNSET_TOKEN"]\n}\n');
    library('cfg/libs/team', 'team', {
      check: { file: 'check.js', parameters: { type: 'object', properties: { status: { type: 'integer' } } } },
    });
    write('cfg/libs/team/check.js', '');
    write('cfg/environments/staging.json', '{ "name": "staging" }\n');
    const scenario = write('cfg/tests/uses.json', {
      name: 'uses',
      steps: [
        { name: 'ok', script: { use: 'team/check', with: { status: 200 } } },
        { name: 'bad', script: { use: 'team/check', with: { status: '200' } } },
      ],
    });
    const cwd = join(work, 'cfg');
    for (const inputs of [
      { paths: [scenario], cwd, environment: 'stagin', env: { CFG_UNSET_TOKEN: 'set-in-process-env' } },
      { paths: [scenario], cwd, env: {} },
    ]) {
      let error: SortieError | undefined;
      await loadPlan(inputs).catch((caught: SortieError) => {
        error = caught;
      });
      const messages = (error?.details ?? []).flatMap((detail) => [detail.message, ...detail.details.map((inner) => inner.message)]);
      expect(messages.some((message) => /no environment "stagin"|secret "CFG_UNSET_TOKEN" has no value/.test(message))).toBe(true);
      expect(messages).toContain('arguments of "team/check" do not match its parameters: with.status must be integer');
      expect(messages.filter((message) => message.includes('no script library'))).toEqual([]);
    }
  });
});
