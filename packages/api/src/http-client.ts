import type { Environment, Redactor } from '@sortie/core';
import { resolveHttpSettings, type SourceFile } from '@sortie/engine';
import { createHttpClient, type HttpClient } from '@sortie/http';

export interface HttpClientSettings {
  /** The environment whose `http` section applies (proxy, CA files, client certificates, HTTP/2, cookies). */
  environment?: SourceFile<Environment>;
  /** `--insecure`: skip TLS verification. */
  insecure?: boolean;
  /** `--ca`: extra CA certificates (PEM text). */
  ca?: string[];
  /** Certificate passphrases are registered here. */
  redactor: Redactor;
}

/**
 * The HTTP client a run would use, for work outside a run (`sortie auth login`): the same settings,
 * read the same way as `run` reads them.
 */
export async function createRunHttpClient(settings: HttpClientSettings): Promise<HttpClient> {
  const options: Parameters<typeof resolveHttpSettings>[0] = {};
  if (settings.environment !== undefined) options.environment = settings.environment;
  if (settings.insecure !== undefined) options.insecure = settings.insecure;
  if (settings.ca !== undefined && settings.ca.length > 0) options.ca = settings.ca;
  return createHttpClient(await resolveHttpSettings(options, settings.redactor));
}
