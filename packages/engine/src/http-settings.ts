import { resolve } from 'node:path';
import { type Environment, ErrorCode, type Redactor, readRegularFile, SortieError } from '@sortie/core';
import type { HttpClientOptions } from '@sortie/http';
import { registerStoredCookie } from './cookie-secrets.js';
import type { RunOptions } from './run-options.js';

/**
 * The HTTP client's settings for a run: the environment's `http` section (HTTP/2, proxy, CA files,
 * client certificates, cookies) under the CLI flags (--insecure, --ca, --no-cookies). Files are
 * taken from the run's files (a run plan carries them) or else read here, relative to the environment
 * file; passphrases are registered with the redactor.
 */
export async function resolveHttpSettings(
  options: Pick<RunOptions, 'environment' | 'insecure' | 'ca' | 'cookies' | 'files' | 'proxy' | 'clientCertificate' | 'initialCookies'>,
  redactor: Redactor,
): Promise<HttpClientOptions> {
  const environment: Environment | undefined = options.environment?.value;
  const http = environment?.http ?? {};
  // Without an environment there is no `http` section, so no file to read.
  const dir = options.environment?.dir ?? '';
  const readPem = async (file: string, what: string) => (await readBytes(dir, file, what, options.files)).toString('utf8');
  const settings: HttpClientOptions = { insecure: options.insecure ?? false };
  const ca = [...(await Promise.all((http.ca ?? []).map((file) => readPem(file, 'CA certificate')))), ...(options.ca ?? [])];
  if (ca.length > 0) settings.ca = ca;
  if (http.hostCa !== undefined) {
    settings.hostCa = await Promise.all(
      http.hostCa.map(async (entry) => ({
        host: entry.host,
        ca: await Promise.all(entry.ca.map((file) => readPem(file, 'CA certificate'))),
      })),
    );
  }
  if (http.http2 !== undefined) settings.http2 = http.http2;
  if (http.proxy !== undefined) settings.proxy = http.proxy;
  if (options.proxy !== undefined) settings.proxy = options.proxy;
  settings.cookies = options.cookies !== false && http.cookies !== false;
  if (options.initialCookies !== undefined) settings.initialCookies = options.initialCookies;
  if (settings.cookies) settings.onCookieStored = (cookie) => registerStoredCookie(cookie, redactor);
  if (http.clientCertificates !== undefined) {
    settings.clientCertificates = await Promise.all(
      http.clientCertificates.map(async (certificate) => {
        if (certificate.passphrase !== undefined) redactor.add(certificate.passphrase);
        const base = {
          ...(certificate.host === undefined ? {} : { host: certificate.host }),
          ...(certificate.passphrase === undefined ? {} : { passphrase: certificate.passphrase }),
        };
        if (certificate.pfx !== undefined)
          return { ...base, pfx: await readBytes(dir, certificate.pfx, 'client certificate (PFX)', options.files) };
        if (certificate.cert === undefined || certificate.key === undefined) {
          throw new SortieError(
            ErrorCode.INVALID_INPUT,
            'Incomplete client certificate',
            'a client certificate needs "pfx", or both "cert" and "key"',
          );
        }
        return {
          ...base,
          cert: await readPem(certificate.cert, 'client certificate'),
          key: await readPem(certificate.key, 'client key'),
        };
      }),
    );
  }
  const flag = options.clientCertificate;
  if (flag !== undefined) {
    // The command line's certificate is for every host; the environment's per-host ones come first (they are more specific).
    if (flag.passphrase !== undefined) redactor.add(flag.passphrase);
    settings.clientCertificates = [...(settings.clientCertificates ?? []).filter((c) => c.host !== undefined), flag];
  }
  return settings;
}

/** A file the environment names: from the run's files when given (a run plan's), else from disk. */
async function readBytes(dir: string, file: string, what: string, planned: ReadonlyMap<string, Uint8Array> | undefined): Promise<Buffer> {
  const path = resolve(dir, file);
  try {
    if (planned === undefined) return await readRegularFile(path);
    const bytes = planned.get(path);
    if (bytes !== undefined) return Buffer.from(bytes);
  } catch {
    // reported below
  }
  throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'File not found', `cannot read the ${what} file ${file}`);
}
