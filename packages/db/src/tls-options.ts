/** Turns the `tls` option of a connection into the options Node's TLS layer takes. */
import { readFileSync } from 'node:fs';
import { ErrorCode, SortieError } from '@sortie/core';
import type { DatabaseConnection } from './types.js';

/** Node TLS options shared by every driver. */
export interface NodeTlsOptions {
  ca?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Returns the TLS options, or undefined when the connection does not use TLS. Reads the CA file now. */
export function readTlsOptions(config: DatabaseConnection): NodeTlsOptions | undefined {
  const tls = config.tls;
  if (tls === undefined || tls === false) return undefined;
  if (tls === true) return {};
  const options: NodeTlsOptions = {};
  if (tls.ca !== undefined) {
    try {
      options.ca = readFileSync(tls.ca, 'utf8');
    } catch {
      throw new SortieError(ErrorCode.FILE_NOT_FOUND, 'CA file not found', `cannot read the TLS CA file "${tls.ca}"`);
    }
  }
  if (tls.rejectUnauthorized !== undefined) options.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.servername !== undefined) options.servername = tls.servername;
  return options;
}
