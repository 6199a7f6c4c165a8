/**
 * Turns the Newman/Hurl flags of `sortie run` into engine options: files they name are read here
 * (relative to the working directory), secrets they carry are registered with the redactor first.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ClientCertificateOptions,
  ErrorCode,
  formatCookieFile,
  parseCookieFile,
  type Redactor,
  type RunSettings,
  SortieError,
} from '@sortie/api';
import { parseDotenv } from '@sortie/config';
import { fileReadReason, readRegularFile, setOwn } from '@sortie/core';
import type { RunFlags } from './run-flags.js';

type EngineOptions = NonNullable<RunSettings['options']>;

/** The engine options of the flags (only those given). */
export async function resolveFlagSettings(flags: RunFlags, cwd: string, redactor: Redactor): Promise<Partial<EngineOptions>> {
  const options: Partial<EngineOptions> = {};
  if (flags.tags.length > 0) options.tags = flags.tags;
  if (flags.delayRequest !== undefined) options.delayRequest = flags.delayRequest;
  if (flags.timeoutScript !== undefined) options.scriptTimeout = flags.timeoutScript;
  if (flags.retry !== undefined) options.retry = flags.retry;
  if (flags.ignoreRedirects) options.ignoreRedirects = true;
  if (flags.proxy !== undefined) {
    const { password } = new URL(flags.proxy);
    if (password !== '') redactor.add(decodeURIComponent(password));
    options.proxy = flags.proxy;
  }
  if (flags.clientCertificate !== undefined)
    options.clientCertificate = await readClientCertificate(flags.clientCertificate, cwd, redactor);
  if (flags.cookieJar !== undefined) {
    const file = flags.cookieJar;
    options.initialCookies = parseCookieFile(await readText(resolve(cwd, file), file, 'cookie jar'), file);
  }
  if (flags.exportCookieJar !== undefined) {
    const path = resolve(cwd, flags.exportCookieJar);
    // Cookie values can be session tokens: the file is the user's own, like curl's, but readable by them only.
    options.onCookies = (cookies) => writeFile(path, formatCookieFile(cookies), { mode: 0o600 });
  }
  return options;
}

/**
 * `--variables-file` (Hurl's name): `NAME=value` lines (the .env syntax), read in order; a later file
 * wins, and --env-var / --variable win over every file.
 */
export async function readVariablesFiles(files: readonly string[], cwd: string): Promise<Record<string, string>> {
  const variables: Record<string, string> = {};
  for (const file of files) {
    // Not Object.assign: it would set the prototype for a line `__proto__=…` instead of keeping the name.
    for (const [name, value] of Object.entries(parseDotenv(await readText(resolve(cwd, file), file, 'variables'), file))) {
      setOwn(variables, name, value);
    }
  }
  return variables;
}

/**
 * `--ssl-client-cert FILE [--ssl-client-key FILE] [--ssl-client-passphrase SECRET]`: a PEM certificate
 * with its key (in the same file when --ssl-client-key is absent), or a PKCS#12 file (.p12/.pfx: any
 * file that is not PEM text).
 */
async function readClientCertificate(
  flags: NonNullable<RunFlags['clientCertificate']>,
  cwd: string,
  redactor: Redactor,
): Promise<ClientCertificateOptions> {
  if (flags.passphrase !== undefined) redactor.add(flags.passphrase);
  const passphrase = flags.passphrase === undefined ? {} : { passphrase: flags.passphrase };
  const cert = await readBytes(resolve(cwd, flags.cert), flags.cert, 'client certificate');
  const isPem = cert.toString('latin1').includes('-----BEGIN');
  if (!isPem) {
    if (flags.key !== undefined) throw usage('--ssl-client-key goes with a PEM certificate; a PKCS#12 file holds its key');
    return { pfx: cert, ...passphrase };
  }
  const key = flags.key === undefined ? cert : await readBytes(resolve(cwd, flags.key), flags.key, 'client key');
  if (!key.toString('latin1').includes('PRIVATE KEY-----'))
    throw usage(`no private key in ${flags.key ?? flags.cert}`, 'give the key with --ssl-client-key <file>');
  return { cert: cert.toString('utf8'), key: key.toString('utf8'), ...passphrase };
}

function usage(message: string, hint = "run 'sortie run --help' for usage"): SortieError {
  return new SortieError(ErrorCode.USAGE, 'Usage error', message, { hint });
}

async function readBytes(path: string, file: string, what: string): Promise<Buffer> {
  try {
    return await readRegularFile(path);
  } catch (error) {
    throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read the ${what} file ${file}: ${fileReadReason(error)}`);
  }
}

async function readText(path: string, file: string, what: string): Promise<string> {
  return (await readBytes(path, file, what)).toString('utf8');
}
