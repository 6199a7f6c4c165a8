/**
 * `sortie import postman`: a collection (with an environment and globals) as the Sortie files that
 * run as the collection runs directly — a scenario, an environment, a project file. Secret values are
 * never written: auth passwords, client secrets, keys and tokens written literally in the collection,
 * credentials in request headers and URLs, and variables typed `secret`, become declared secrets
 * (`{{NAME}}` where they were), and the caller is told which names to set. Returns the files; writing them is the caller's business.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { parseSourceText } from '@sortie/config';
import { type Environment, ErrorCode, type Project, type Scenario, SECRET_NAME, SECRET_NAME_RULE, SortieError } from '@sortie/core';
import { stringify } from 'yaml';
import type { ConversionNote } from './convert-collection.js';
import { loadCollectionFile, loadEnvironmentFile, readGlobalsFile } from './load.js';
import { hideRequestCredentials, secretName } from './request-credentials.js';
import { type ImportedVariable, unsetVariables } from './unset-variables.js';

export type ImportFormat = 'yaml' | 'json';

export interface ImportPostmanOptions {
  collection: string;
  environment?: string;
  globals?: string;
  /** Where relative paths resolve (default: the process's working directory). */
  cwd?: string;
  /** The folder the files will be written to: body file paths are made relative to it. */
  outDir: string;
  format?: ImportFormat;
}

/** A secret the user has to set before running the imported files. */
export interface ImportedSecret {
  name: string;
  /** What it was in the collection, e.g. `password of the auth of "Users"`. */
  what: string;
}

export interface ImportedFiles {
  /** Paths relative to the output folder, with their text. */
  files: Array<{ path: string; text: string }>;
  secrets: ImportedSecret[];
  /** Variables the files use that nothing imported defines nor a script sets: to set before running. */
  variables: ImportedVariable[];
  notes: ConversionNote[];
}

/**
 * Converts the collection (and environment, globals) into the files to write.
 * @throws SortieError as the loaders do, for files that cannot be read or are not Postman files.
 */
export async function importPostman(options: ImportPostmanOptions): Promise<ImportedFiles> {
  const cwd = options.cwd ?? process.cwd();
  const format = options.format ?? 'yaml';
  const extension = format === 'yaml' ? '.yaml' : '.json';
  const collection = await loadCollectionFile(options.collection, { cwd });
  const scenario: Scenario = structuredClone(collection.loaded.value);
  const secrets: ImportedSecret[] = [];
  const secretNames = new Set<string>();
  const declare = (base: string, what: string): ImportedSecret => {
    let name = base;
    for (let n = 2; secretNames.has(name); n++) name = `${base}_${n}`;
    secretNames.add(name);
    const secret = { name, what };
    secrets.push(secret);
    return secret;
  };

  // Literal secrets of auth profiles → {{NAME}}, declared in the project file.
  const profiles = typeof scenario.auth === 'object' && 'profiles' in scenario.auth ? (scenario.auth.profiles ?? {}) : {};
  for (const [profileName, fields] of Object.entries(collection.secretFields)) {
    const profile = profiles[profileName] as Record<string, unknown> | undefined;
    if (profile === undefined) continue;
    for (const field of fields) {
      const value = profile[field];
      if (typeof value !== 'string' || value === '' || isTemplateOnly(value)) continue;
      const { name } = declare(secretName(profileName, field), `${field} of the auth "${profileName}"`);
      profile[field] = `{{${name}}}`;
    }
  }
  // Literal credentials of request headers and URLs (Authorization, X-API-Key, ?api_key=…) → {{NAME}}, declared too.
  hideRequestCredentials(scenario.steps, declare);
  // Collection variables typed secret → declared secrets of the same name, which a run puts in the
  // environment scope. The collection scope keeps the name as `{{name}}`: defaults are rendered once at
  // the start of a run, so pm.collectionVariables.get(name) reads the secret's value, as in the direct run.
  // A name that is no environment variable name (`api-key`) is declared as one (API_KEY), the variable kept.
  for (const name of Object.keys(collection.secretVariables)) {
    const variable = isVariableName(name) ? name : secretName(name, '');
    const { name: declared } = declare(
      variable,
      `collection variable ${variable === name ? '' : `"${name}" `}typed secret in ${basename(options.collection)}`,
    );
    if (scenario.defaults !== undefined && name in scenario.defaults) scenario.defaults[name] = `{{${declared}}}`;
  }
  // Body file paths were relative to the collection: make them relative to where the scenario goes.
  const collectionDir = collection.loaded.dir;
  rebaseFiles(scenario.steps, (file) => relative(resolve(cwd, options.outDir), resolve(collectionDir, file)) || '.');

  const slug = fileSlug(scenario.name);
  const files: Array<{ path: string; text: string }> = [];
  const project: Project = {};
  let environmentName: string | undefined;
  /** The names of the variables the imported environment and globals give. */
  const given: string[] = [];
  if (options.environment !== undefined) {
    const loaded = await loadEnvironmentFile(options.environment, { cwd });
    const environment: Environment = structuredClone(loaded.loaded.value);
    given.push(...Object.keys(environment.variables ?? {}));
    for (const name of Object.keys(loaded.secrets)) {
      secretNames.add(name);
      secrets.push({ name, what: `variable typed secret in ${basename(options.environment)}` });
    }
    environmentName = fileSlug(environment.name ?? basename(options.environment, extname(options.environment)));
    files.push({
      path: `environments/${environmentName}${extension}`,
      text: serialise(environment, format, 'https://sortie.dev/schemas/environment.schema.json'),
    });
    project.defaultEnvironment = environmentName;
  }
  const projectSecrets = secrets.filter((secret) => !secret.what.startsWith('variable typed secret in')).map((secret) => secret.name);
  if (options.globals !== undefined) {
    const globals = await readGlobalsFile(options.globals, { cwd });
    if (Object.keys(globals.variables).length > 0) project.variables = globals.variables;
    given.push(...Object.keys(globals.variables));
    for (const name of Object.keys(globals.secrets)) {
      if (!SECRET_NAME.test(name)) throw await secretNameError(options.globals, cwd, name);
      projectSecrets.push(declare(name, `global typed secret in ${basename(options.globals)}`).name);
    }
  }
  if (projectSecrets.length > 0) project.secrets = projectSecrets;
  const { name, defaults, auth, options: scenarioOptions, steps } = scenario;
  const written = {
    name,
    // Always written, even empty: it keeps pm.collectionVariables below the environment, as in the direct run.
    defaults: defaults ?? {},
    ...(auth === undefined ? {} : { auth }),
    options: scenarioOptions,
    steps: orderStepKeys(steps),
  };
  files.unshift({ path: `${slug}${extension}`, text: serialise(written, format, 'https://sortie.dev/schemas/scenario.schema.json') });
  files.push({ path: `sortie.config${extension}`, text: serialise(project, format, 'https://sortie.dev/schemas/project.schema.json') });
  const variables = unsetVariables(scenario, [...Object.keys(scenario.defaults ?? {}), ...given, ...secrets.map((secret) => secret.name)]);
  return { files, secrets, variables, notes: collection.notes };
}

/** A name a shell can export: a collection variable typed secret is declared under one (`api-key` as API_KEY), easier to set. */
const isVariableName = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

/** A global typed secret whose name no environment variable can have: at its key in the globals export. */
async function secretNameError(file: string, cwd: string, name: string): Promise<SortieError> {
  const parsed = parseSourceText(await readFile(resolve(cwd, file), 'utf8'), file);
  const values = (parsed.data as { values?: unknown } | null)?.values;
  const list = Array.isArray(values) ? values : Array.isArray(parsed.data) ? parsed.data : [];
  const index = list.findLastIndex((entry) => entry !== null && typeof entry === 'object' && (entry as { key?: unknown }).key === name);
  const at = index === -1 ? [] : [...(Array.isArray(values) ? ['values'] : []), index, 'key'];
  return new SortieError(
    ErrorCode.INVALID_INPUT,
    'Invalid globals',
    `the global "${name}" is typed secret: a secret is read from an environment variable or a .env file, which cannot name "${name}"`,
    {
      location: at.length === 0 ? { file } : parsed.locate(at),
      hint: `name a secret with ${SECRET_NAME_RULE} (api_key, api-key): rename the global, or type it default`,
    },
  );
}

const isTemplateOnly = (value: string): boolean => /^\s*\{\{[^{}]+\}\}\s*$/.test(value);

function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    // The accents NFKD split off (combining marks) go: é → e, not e-.
    .replace(/\p{M}+/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug === '' ? 'collection' : slug;
}

function rebaseFiles(steps: Scenario['steps'], rebase: (file: string) => string): void {
  for (const step of steps) {
    if ('group' in step) rebaseFiles(step.group.steps, rebase);
    if (!('request' in step) || step.request.body === undefined) continue;
    const body = step.request.body;
    if (body.file !== undefined && !body.file.startsWith('/')) body.file = rebase(body.file);
    for (const part of body.multipart ?? []) if (part.file !== undefined && !part.file.startsWith('/')) part.file = rebase(part.file);
  }
}

/** Keys of a step in the order a person writes them: what it is, what it sends, then its processors. */
const STEP_KEY_ORDER = ['name', 'description', 'request', 'group', 'script', 'pre', 'post', 'onError'];

function orderStepKeys(steps: Scenario['steps']): Scenario['steps'] {
  return steps.map((step) => {
    const record = step as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const key of STEP_KEY_ORDER) if (record[key] !== undefined) ordered[key] = record[key];
    for (const [key, value] of Object.entries(record)) if (!(key in ordered)) ordered[key] = value;
    if ('group' in step) ordered.group = { ...step.group, steps: orderStepKeys(step.group.steps) };
    return ordered as Scenario['steps'][number];
  });
}

function serialise(value: object, format: ImportFormat, schema: string | undefined): string {
  if (format === 'json') return `${JSON.stringify(schema === undefined ? value : { $schema: schema, ...value }, null, 2)}\n`;
  const modeline = schema === undefined ? '' : `# yaml-language-server: $schema=${schema}\n`;
  return `${modeline}${stringify(value, { lineWidth: 0 })}`;
}
