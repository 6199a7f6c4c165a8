/**
 * TLS settings per host: extra CAs, client certificates (mutual TLS) and verification, turned into one
 * connector that picks the right TLS options for the host it connects to.
 */
import { createRequire } from 'node:module';
import type * as Tls from 'node:tls';
import { ErrorCode, SortieError } from '@sortie/core';
import type { buildConnector } from 'undici';
import { describeCertificateLoadFailure } from './client-certificate-error.js';
import { buildTimedConnector } from './timed-connector.js';

/**
 * node:tls, loaded when a client certificate or an extra CA is configured: with node:crypto it is 27
 * built-in modules that a plain-HTTP run or one with the default TLS settings does without (undici
 * loads node:tls itself when it opens a TLS connection). Cold start, BENCHMARKS.md.
 */
let tlsModule: typeof Tls | undefined;
const tls = (): typeof Tls => {
  tlsModule ??= createRequire(import.meta.url)('node:tls') as typeof Tls;
  return tlsModule;
};

/**
 * A client certificate for mutual TLS, given as file *contents* (the caller reads the files): PEM `cert` +
 * `key`, or a PKCS#12 `pfx`. `passphrase` decrypts the key or the PFX.
 */
export type ClientCertificateOptions =
  | {
      /** `host` or `host:port` the certificate is presented to; every host when absent. Case-insensitive, no wildcards. */
      host?: string;
      /** PEM certificate (chain). */
      cert: string | Uint8Array;
      /** PEM private key. */
      key: string | Uint8Array;
      passphrase?: string;
      pfx?: undefined;
    }
  | {
      /** `host` or `host:port` the certificate is presented to; every host when absent. */
      host?: string;
      /** PKCS#12 (.p12/.pfx) bytes. */
      pfx: Uint8Array;
      passphrase?: string;
      cert?: undefined;
      key?: undefined;
    };

/** Extra CA certificates trusted for one host only. */
export interface HostCaOptions {
  /** `host` or `host:port` (case-insensitive, no wildcards). */
  host: string;
  /** PEM CA certificates, trusted for this host on top of Node's roots and the client-wide `ca`. */
  ca: string[];
}

/** Options of {@link buildTlsConnector}. */
export interface TlsConnectorOptions {
  /** Skip certificate verification (default false). */
  insecure?: boolean;
  /** Extra PEM CA certificates for every host (default none). */
  ca?: string[];
  /** Extra PEM CA certificates per host (default none). */
  hostCa?: HostCaOptions[];
  /** Client certificates (default none). The most specific match wins: `host:port`, then `host`, then an entry without host. */
  clientCertificates?: ClientCertificateOptions[];
  /** Offer HTTP/2 in ALPN (default false). */
  allowH2?: boolean;
}

/** Node TLS options of one connection profile. */
export interface TlsProfile {
  rejectUnauthorized: boolean;
  ca?: string[];
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

interface HostPattern {
  host: string;
  port?: string;
}

function parseHostPattern(pattern: string): HostPattern {
  const lower = pattern.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(lower);
  if (bracketed !== null) return bracketed[2] === undefined ? { host: bracketed[1]! } : { host: bracketed[1]!, port: bracketed[2] };
  const withPort = /^([^:]+):(\d+)$/.exec(lower);
  return withPort === null ? { host: lower } : { host: withPort[1]!, port: withPort[2]! };
}

/** 2 for a `host:port` match, 1 for a `host` match, 0 for an entry without host, -1 for no match. */
function rankMatch(pattern: string | undefined, hostname: string, port: string): number {
  if (pattern === undefined) return 0;
  const parsed = parseHostPattern(pattern);
  if (parsed.host !== hostname) return -1;
  if (parsed.port === undefined) return 1;
  return parsed.port === port ? 2 : -1;
}

function toBuffer(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function describeEntry(index: number, host: string | undefined): string {
  return `client certificate ${index + 1}${host === undefined ? '' : ` (host ${host})`}`;
}

/** Checks that each entry is complete and that Node can load it (PEM syntax, key matches, passphrase right). */
function validateClientCertificates(entries: ClientCertificateOptions[]): void {
  entries.forEach((entry, index) => {
    const what = describeEntry(index, entry.host);
    const hasPem = entry.cert !== undefined || entry.key !== undefined;
    if (entry.pfx !== undefined ? hasPem : entry.cert === undefined || entry.key === undefined) {
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid client certificate', `${what} needs either cert and key, or pfx`);
    }
    const parts = toProfileCertificate(entry);
    try {
      tls().createSecureContext(parts);
    } catch (error) {
      const { reason, hint } = describeCertificateLoadFailure(error, parts, (some) => tls().createSecureContext(some));
      throw new SortieError(ErrorCode.INVALID_INPUT, 'Invalid client certificate', `${what} cannot be loaded: ${reason}`, {
        cause: error,
        hint,
      });
    }
  });
}

function toProfileCertificate(entry: ClientCertificateOptions): Pick<TlsProfile, 'cert' | 'key' | 'pfx' | 'passphrase'> {
  const part: Pick<TlsProfile, 'cert' | 'key' | 'pfx' | 'passphrase'> = {};
  if (entry.pfx !== undefined) part.pfx = toBuffer(entry.pfx) as Buffer;
  else {
    part.cert = toBuffer(entry.cert);
    part.key = toBuffer(entry.key);
  }
  if (entry.passphrase !== undefined) part.passphrase = entry.passphrase;
  return part;
}

/** Selects the TLS profile for hosts: computes it once per host and port. */
export class TlsProfiles {
  readonly #options: TlsConnectorOptions;
  readonly #byTarget = new Map<string, { key: string; profile: TlsProfile }>();

  /** Validates the client certificates (throws an INVALID_INPUT SortieError naming the bad entry, never its contents). */
  constructor(options: TlsConnectorOptions) {
    this.#options = options;
    validateClientCertificates(options.clientCertificates ?? []);
  }

  /** The profile for connections to `hostname`:`port`, and a key shared by every target with the same profile. */
  select(hostname: string, port: string): { key: string; profile: TlsProfile } {
    const target = `${hostname}:${port}`;
    let selected = this.#byTarget.get(target);
    if (selected === undefined) {
      selected = this.#build(hostname.replace(/^\[|\]$/g, '').toLowerCase(), port);
      this.#byTarget.set(target, selected);
    }
    return selected;
  }

  /** The profile of hosts that no host-specific entry matches (also what a proxied TLS connection uses). */
  selectDefault(): { key: string; profile: TlsProfile } {
    return this.#build('', '');
  }

  #build(hostname: string, port: string): { key: string; profile: TlsProfile } {
    const options = this.#options;
    const profile: TlsProfile = { rejectUnauthorized: options.insecure !== true };
    const keyParts: string[] = [];
    const ca = [...(options.ca ?? [])];
    (options.hostCa ?? []).forEach((entry, index) => {
      if (rankMatch(entry.host, hostname, port) > 0) {
        ca.push(...entry.ca);
        keyParts.push(`ca${index}`);
      }
    });
    if (ca.length > 0) profile.ca = [...tls().rootCertificates, ...ca];
    let best = -1;
    let chosen: number | undefined;
    (options.clientCertificates ?? []).forEach((entry, index) => {
      const rank = rankMatch(entry.host, hostname, port);
      if (rank > best) {
        best = rank;
        chosen = index;
      }
    });
    if (chosen !== undefined) {
      Object.assign(profile, toProfileCertificate(options.clientCertificates![chosen]!));
      keyParts.push(`cert${chosen}`);
    }
    return { key: keyParts.join(','), profile };
  }
}

/**
 * Builds the connector of a client: for `https:` it connects with the TLS profile of the target host
 * ({@link TlsProfiles}); one timed connector (and TLS session cache) per distinct profile.
 *
 * @see https://nodejs.org/api/tls.html#tlsconnectoptions-callback
 * @see https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2
 */
export function buildTlsConnector(profiles: TlsProfiles, allowH2: boolean): buildConnector.connector {
  const connectors = new Map<string, buildConnector.connector>();
  const connectorFor = (key: string, profile: TlsProfile) => {
    let connector = connectors.get(key);
    if (connector === undefined) {
      connector = buildTimedConnector({ ...profile, allowH2 });
      connectors.set(key, connector);
    }
    return connector;
  };
  const fallback = profiles.selectDefault();
  const plain = connectorFor(fallback.key, fallback.profile);
  return (options, callback) => {
    if (options.protocol !== 'https:') return plain(options, callback);
    const { key, profile } = profiles.select(options.hostname, options.port || '443');
    return connectorFor(key, profile)(options, callback);
  };
}
