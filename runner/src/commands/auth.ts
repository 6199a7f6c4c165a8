/** Errors of an authorization server that answered wrongly or not at all, not of the user's input. */
const SERVER_FAILURES: ReadonlySet<string> = new Set([
  ErrorCode.AUTH_OAUTH_ERROR,
  ErrorCode.AUTH_UNREACHABLE,
  ErrorCode.AUTH_NO_TOKEN,
  ErrorCode.AUTH_REJECTED,
]);

/**
 * `sortie auth login <profile>`, `sortie auth status`, `sortie auth logout [<profile>]`. Parsing and printing only:
 * the logic lives in @sortie/auth.
 *
 * Profiles are read from `auth.profiles` of the file given with --file, else of the environment (--env, a file or a
 * name, else the project's default; loaded as `sortie run` loads it); their templates are rendered with the
 * environment's variables, the `variables` of the --file the profile comes from, secrets, --env-var pairs and the
 * process environment.
 */
import { resolve } from 'node:path';
import { createRunHttpClient } from '@sortie/api';
import {
  findAuthProfile,
  listAuthProfiles,
  listCachedTokens,
  loginProfile,
  openBrowser,
  removeCachedTokens,
  resolveAuthProfile,
  type SendRequest,
} from '@sortie/auth';
import { loadRunConfig, type ParsedSource, parseSourceText, validateSource } from '@sortie/config';
import {
  AnyAuthProfileSchema,
  ErrorCode,
  fileReadReason,
  formatError,
  isSortieError,
  Redactor,
  readRegularFile,
  SortieError,
  suggestClosest,
} from '@sortie/core';
import { Variables } from '@sortie/template';
import * as z from 'zod';
import { parseCommandOptions } from '../parse-options.js';
import { EXIT, type Terminal } from '../terminal.js';
import { resolveTokenCacheFile } from '../token-cache.js';

export interface AuthArgs {
  command: 'auth';
  action: 'login' | 'status' | 'logout';
  /** login: required; logout: optional (all when absent). */
  profile?: string;
  /** A scenario, environment or project file with `auth.profiles`. */
  file?: string;
  /** Environment file: its variables render the profile, and its `auth.profiles` are searched too. */
  env?: string;
  envVars: Record<string, string>;
  /** Print the authorization URL instead of opening the browser. */
  noBrowser: boolean;
  /** Token cache file (default $SORTIE_TOKEN_CACHE, else $XDG_CACHE_HOME/sortie/tokens.json). */
  tokenCache?: string;
  /** `--ca`: extra CA certificate files, as for `sortie run`. */
  ca: string[];
  /** `--insecure`: skip TLS verification, as for `sortie run`. */
  insecure: boolean;
}

/** What the auth commands write to. */
export type AuthTerminal = Pick<Terminal, 'out' | 'err'> & Partial<Pick<Terminal, 'env' | 'cwd'>>;

/** Injected by tests; defaults are Sortie's HTTP client and the system browser. */
export interface AuthCommandDeps {
  send?: SendRequest;
  openUrl?(url: string): Promise<void>;
}

const AUTH_ACTIONS = ['login', 'status', 'logout'] as const;

const AUTH_HINT = 'sortie auth login <profile> --file <file> | sortie auth status | sortie auth logout [<profile>]';

function usage(message: string, hint = AUTH_HINT): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

/** Parses `auth <action> [profile] [options]` (argv without `node sortie`). Throws SortieError(USAGE). */
export function parseAuthArgs(argv: readonly string[]): AuthArgs {
  const [command, action, ...rest] = argv;
  if (command !== 'auth') throw usage('expected the "auth" command');
  if (!AUTH_ACTIONS.includes(action as (typeof AUTH_ACTIONS)[number])) {
    const closest = action === undefined ? undefined : suggestClosest(action, AUTH_ACTIONS);
    throw usage(`unknown auth action "${action ?? ''}"`, closest === undefined ? AUTH_HINT : `did you mean "sortie auth ${closest}"?`);
  }
  const { values, positionals } = parseCommandOptions(rest, AUTH_OPTIONS, AUTH_HINT);
  if (positionals.length > 1) throw usage(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  if (action === 'login' && positionals[0] === undefined) throw usage('sortie auth login needs a profile name');
  const envVars: Record<string, string> = {};
  for (const pair of values['env-var'] ?? []) {
    const index = pair.indexOf('=');
    if (index <= 0) throw usage(`--env-var expects name=value, got "${pair}"`);
    envVars[pair.slice(0, index)] = pair.slice(index + 1);
  }
  const args: AuthArgs = {
    command: 'auth',
    action: action as AuthArgs['action'],
    envVars,
    noBrowser: values['no-browser'] === true,
    ca: values.ca ?? [],
    insecure: values.insecure === true,
  };
  if (positionals[0] !== undefined) args.profile = positionals[0];
  if (values.file !== undefined) args.file = values.file;
  if (values.env !== undefined) args.env = values.env;
  if (values['token-cache'] !== undefined) args.tokenCache = values['token-cache'];
  return args;
}

const AUTH_OPTIONS = {
  file: { type: 'string', short: 'f' },
  env: { type: 'string', short: 'e' },
  'env-var': { type: 'string', multiple: true },
  'no-browser': { type: 'boolean' },
  'token-cache': { type: 'string' },
  ca: { type: 'string', multiple: true },
  insecure: { type: 'boolean', short: 'k' },
} as const;

/** The token cache file of these args. */
export function resolveAuthTokenCache(args: AuthArgs, terminal: AuthTerminal): string {
  return resolveTokenCacheFile(terminal, args.tokenCache);
}

async function readDocument(file: string, cwd: string): Promise<ParsedSource> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readRegularFile(path, 'utf8');
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read ${file}: ${fileReadReason(error)}`, {
      location: { file },
    });
  }
  return parseSourceText(text, file);
}

/**
 * Checks the profile `name` of the --file document where it is written, as `sortie run` checks a scenario: every
 * problem with its line, column and path (the environment's profiles were checked when it was loaded).
 */
function checkProfileOf(document: ParsedSource, file: string, name: string): void {
  const schema = z.looseObject({ auth: z.looseObject({ profiles: z.looseObject({ [name]: AnyAuthProfileSchema }) }) });
  const result = validateSource(schema, document, file);
  if ('errors' in result) {
    const count = `${result.errors.length} ${result.errors.length === 1 ? 'problem' : 'problems'}`;
    throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid auth profile', `profile "${name}" of ${file} has ${count}`, {
      location: { file },
      details: result.errors,
    });
  }
}

/**
 * `sortie auth login <profile>`: signs the profile in and stores its tokens in the token cache. The
 * environment is loaded as `sortie run` loads it (a file or a name, the project's default, `.env`
 * secrets, errors with line and column), and the sign-in goes through the HTTP settings a run would
 * use (the environment's proxy, CA files and client certificates, `--ca`, `--insecure`).
 */
export async function authLoginCommand(args: AuthArgs, terminal: AuthTerminal, deps: AuthCommandDeps = {}): Promise<number> {
  const name = args.profile!;
  const env = terminal.env ?? {};
  const cwd = terminal.cwd ?? process.cwd();
  const configOptions: Parameters<typeof loadRunConfig>[0] = { cwd, env };
  if (args.env !== undefined) configOptions.environment = args.env;
  const config = await loadRunConfig(configOptions);
  const environment = config.environment;
  if (args.file === undefined && environment === undefined) throw usage('give the file that declares the profile with --file (or --env)');
  const parsed = args.file === undefined ? undefined : await readDocument(args.file, cwd);
  const document = parsed?.data;
  const fromFile = findAuthProfile(document, name);
  if (fromFile !== undefined) checkProfileOf(parsed!, args.file!, name);
  const raw = fromFile ?? findAuthProfile(environment?.value, name);
  if (raw === undefined) {
    const known = [...listAuthProfiles(document), ...listAuthProfiles(environment?.value)];
    const where = [args.file, environment?.file].filter(Boolean).join(' or ');
    throw usage(`no auth profile "${name}" in ${where}${known.length > 0 ? ` (profiles: ${known.join(', ')})` : ''}`);
  }
  const redactor = new Redactor();
  for (const value of Object.values(config.secrets)) redactor.add(value);
  // The file the profile comes from lends its `variables` (an environment, scenario or project file written for this
  // profile): above the environment's, below secrets and --env-var, which are given for this command.
  const environmentVariables = environment?.value.variables ?? {};
  const ownVariables = fromFile === undefined ? {} : readVariables(document);
  const variables = new Variables({
    environment: { ...environmentVariables, ...ownVariables, ...config.secrets, ...args.envVars },
    global: { ...env },
  });
  const profile = resolveAuthProfile(name, raw, variables);
  const ca = await Promise.all(args.ca.map((file) => readCa(resolve(cwd, file), file)));
  const client =
    deps.send === undefined
      ? await createRunHttpClient({ redactor, insecure: args.insecure, ca, ...(environment === undefined ? {} : { environment }) })
      : undefined;
  const file = resolveAuthTokenCache(args, terminal);
  try {
    const openUrl = args.noBrowser ? undefined : (deps.openUrl ?? ((url: string) => openBrowser(url, { env })));
    const result = await loginProfile(name, profile, {
      send: deps.send ?? ((request) => client!.send(request)),
      redactor,
      cache: { file, ...(env.SORTIE_TOKEN_KEY === undefined ? {} : { key: env.SORTIE_TOKEN_KEY }) },
      onAuthorizationUrl: (url) =>
        terminal.err(args.noBrowser ? `Open this URL in a browser to sign in:\n  ${url}\n` : `Opening the browser to sign in…\n  ${url}\n`),
      onDeviceAuthorization: (prompt) => terminal.err(`To sign in, open ${prompt.verificationUri} and enter the code ${prompt.userCode}\n`),
      ...(openUrl === undefined ? {} : { openUrl }),
    });
    const expiry = result.expiresAt === undefined ? 'no expiry given' : `expires ${new Date(result.expiresAt).toISOString()}`;
    terminal.out(`✓ ${name}: signed in (${result.grant}), ${expiry}${result.hasRefreshToken ? ', refresh token kept' : ''}\n`);
    terminal.out(`  tokens stored encrypted in ${file}\n`);
    return EXIT.OK;
  } catch (error) {
    if (error instanceof Error) error.message = redactor.redact(error.message);
    // The input was valid and the authorization server failed: exit 1, as a failing API in a run (2 is bad input).
    if (isSortieError(error) && SERVER_FAILURES.has(error.code)) {
      terminal.err(formatError(error, { style: 'cli' }));
      return EXIT.FAILED;
    }
    throw error;
  } finally {
    await client?.close();
  }
}

/** The `variables` object of a parsed --file document, or none. */
function readVariables(document: unknown): Record<string, unknown> {
  if (document === null || typeof document !== 'object') return {};
  const variables = (document as { variables?: unknown }).variables;
  return variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {};
}

async function readCa(path: string, file: string): Promise<string> {
  try {
    return await readRegularFile(path, 'utf8');
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read CA file ${file}: ${fileReadReason(error)}`);
  }
}

/** `sortie auth status`: cached profiles, grants, expiry and scopes; never a value. */
export async function authStatusCommand(args: AuthArgs, terminal: AuthTerminal, now: () => number = Date.now): Promise<number> {
  const file = resolveAuthTokenCache(args, terminal);
  const entries = (await listCachedTokens(file)).filter((entry) => args.profile === undefined || entry.profile === args.profile);
  if (entries.length === 0) {
    terminal.out(`No cached tokens in ${file}\n`);
    return EXIT.OK;
  }
  for (const entry of entries) {
    const expiry =
      entry.expiresAt === undefined
        ? 'no expiry'
        : entry.expiresAt <= now()
          ? `expired ${new Date(entry.expiresAt).toISOString()}`
          : `valid until ${new Date(entry.expiresAt).toISOString()}`;
    const scope = entry.scope === undefined ? '' : `, scope "${entry.scope}"`;
    terminal.out(`${entry.profile}  ${entry.grant}  ${expiry}${scope}${entry.hasRefreshToken ? ', refresh token' : ''}\n`);
  }
  return EXIT.OK;
}

/** `sortie auth logout [<profile>]`: removes cached tokens (of every profile without a name). */
export async function authLogoutCommand(args: AuthArgs, terminal: AuthTerminal): Promise<number> {
  const file = resolveAuthTokenCache(args, terminal);
  const removed = await removeCachedTokens(file, args.profile);
  const who = args.profile === undefined ? 'all profiles' : `"${args.profile}"`;
  terminal.out(
    removed === 0 ? `No cached tokens for ${who}\n` : `Removed ${removed} cached token set${removed === 1 ? '' : 's'} of ${who}\n`,
  );
  return EXIT.OK;
}
