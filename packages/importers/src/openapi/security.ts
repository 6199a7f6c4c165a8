/**
 * Security schemes as auth profiles, secret values as `secrets` declarations (never literal values):
 * API keys (header, query), HTTP basic, bearer and digest, each OAuth 2.0 flow as a grant, and
 * OpenID Connect through its discovery document (fetched at import time).
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 */
import type { SourceOrigins } from '@sortie/config';
import { ErrorCode, SortieError, type SourceLocation } from '@sortie/core';
import { type SecretRegistry, secretName } from '../import-result.js';
import { isObject, type Json } from './document-refs.js';

export interface SecurityImport {
  /** Profile name → auth profile. */
  profiles: Record<string, Record<string, unknown>>;
  /** Security scheme name → the profile its requirements use. */
  bySchema: Map<string, string>;
  /** Where each profile (and its fields) comes from in the description: `auth.profiles.<profile>` → its scheme. */
  origins: SourceOrigins;
}

export interface SecurityOptions {
  secrets: SecretRegistry;
  notes: string[];
  /** Fetches an OpenID Connect discovery document (default: global fetch). */
  fetchJson?: (url: string) => Promise<unknown>;
  /** Where a JSON path of the description is in its root file (for errors at a scheme). */
  locate?: (path: ReadonlyArray<string | number>) => SourceLocation;
  /**
   * The URL of the first server (variables filled), the base of the description's relative URLs
   * (OpenAPI 3.1.0 §4.4 / 3.0.3 §4.6 "Relative References in URLs"); undefined when it is relative too.
   */
  serverUrl?: string;
  /** The URL the first server was given when it is relative (`http://localhost/v1`): its stand-in. */
  placeholderServerUrl?: string;
}

const FLOW_GRANTS: Record<string, string> = {
  clientCredentials: 'client_credentials',
  password: 'password',
  authorizationCode: 'authorization_code',
  implicit: 'implicit',
};

export async function importSecuritySchemes(document: Json, options: SecurityOptions): Promise<SecurityImport> {
  const components = isObject(document.components) ? document.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const profiles: Record<string, Record<string, unknown>> = {};
  const bySchema = new Map<string, string>();
  const origins: Array<readonly [string[], string[]]> = [];
  const { secrets, notes } = options;
  for (const [name, raw] of Object.entries(schemes)) {
    if (!isObject(raw)) continue;
    const add = (profile: Record<string, unknown>, profileName = name, flow?: string) => {
      profiles[profileName] = profile;
      if (!bySchema.has(name)) bySchema.set(name, profileName);
      const scheme = ['components', 'securitySchemes', name];
      const at = flow === undefined ? scheme : [...scheme, 'flows', flow];
      origins.push([['auth', 'profiles', profileName], at]);
      for (const [field, source] of Object.entries(PROFILE_FIELD_SOURCES))
        origins.push([
          ['auth', 'profiles', profileName, field],
          [...at, source],
        ]);
    };
    const type = String(raw.type);
    if (type === 'apiKey') {
      const placement = String(raw.in);
      const value = secrets.declare(
        secretName(name, 'api key'),
        `API key of the security scheme ${name} (${placement} ${String(raw.name)})`,
      );
      if (placement === 'cookie') {
        notes.push(`security scheme ${name}: an API key in a cookie becomes a Cookie header of the requests that use it`);
        add({ type: 'apiKey', in: 'header', name: 'Cookie', value: `${String(raw.name)}=${value}` });
      } else add({ type: 'apiKey', in: placement === 'query' ? 'query' : 'header', name: String(raw.name), value });
    } else if (type === 'http') {
      const scheme = String(raw.scheme).toLowerCase();
      if (scheme === 'basic' || scheme === 'digest') {
        add({
          type: scheme,
          username: secrets.declare(secretName(name, 'username'), `user name of the HTTP ${scheme} scheme ${name}`),
          password: secrets.declare(secretName(name, 'password'), `password of the HTTP ${scheme} scheme ${name}`),
        });
      } else if (scheme === 'bearer') {
        add({ type: 'bearer', token: secrets.declare(secretName(name, 'token'), `bearer token of the scheme ${name}`) });
      } else notes.push(`security scheme ${name}: HTTP scheme "${scheme}" has no auth profile type; add one by hand`);
    } else if (type === 'oauth2') {
      const flows = isObject(raw.flows) ? raw.flows : {};
      const names = Object.keys(flows).filter((flow) => FLOW_GRANTS[flow] !== undefined);
      for (const flow of names) {
        const settings = flows[flow];
        if (!isObject(settings)) continue;
        const profileName = names.length === 1 ? name : `${name}-${flow}`;
        add(
          oauthProfile(name, flow, settings, secrets, (key) => absoluteUrl(name, `${flow}.${key}`, settings[key], options)),
          profileName,
          flow,
        );
      }
    } else if (type === 'openIdConnect') {
      add(await discoverOpenIdConnect(name, absoluteUrl(name, 'openIdConnectUrl', raw.openIdConnectUrl, options) ?? '', options));
    } else {
      notes.push(
        `security scheme ${name}: type "${type}" (e.g. mutual TLS) is set in the environment's http section, not as an auth profile`,
      );
    }
  }
  return { profiles, bySchema, origins };
}

/** The field of a security scheme (or of its OAuth 2.0 flow) a profile's field is made of. */
const PROFILE_FIELD_SOURCES: Record<string, string> = {
  name: 'name',
  in: 'in',
  authUrl: 'authorizationUrl',
  tokenUrl: 'tokenUrl',
  refreshUrl: 'refreshUrl',
  scope: 'scopes',
};

/**
 * A URL of a security scheme as the profile needs it: absolute. A relative reference (`/oauth/token`)
 * is resolved against the first server's URL (RFC 3986 §5.2, as OpenAPI 3.1.0 §4.4 says); with no
 * absolute server URL it is resolved against the stand-in the server got (`http://localhost/v1`), and
 * the notes say to set it.
 */
function absoluteUrl(scheme: string, field: string, value: unknown, options: SecurityOptions): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  if (options.serverUrl !== undefined) {
    try {
      return new URL(value, options.serverUrl).href;
    } catch {
      // Not resolvable (a malformed reference): kept as written, named in the notes below.
    }
  }
  // A profile's endpoint must be an absolute URL, or the environment is refused: resolved against the
  // stand-in the services got (http://localhost…), to be set by hand like the server's.
  let placeholder: string | undefined;
  try {
    placeholder = options.placeholderServerUrl === undefined ? undefined : new URL(value, options.placeholderServerUrl).href;
  } catch {
    placeholder = undefined;
  }
  options.notes.push(
    `security scheme ${scheme}: ${field} "${value}" is relative and the server URL is not absolute: ${placeholder === undefined ? '' : `it is written as ${placeholder}; `}set the profile's URL by hand`,
  );
  return placeholder ?? value;
}

function oauthProfile(
  name: string,
  flow: string,
  settings: Json,
  secrets: SecretRegistry,
  urlOf: (key: 'authorizationUrl' | 'tokenUrl' | 'refreshUrl') => string | undefined,
): Record<string, unknown> {
  const profile: Record<string, unknown> = {
    type: 'oauth2',
    grant: FLOW_GRANTS[flow],
    clientId: secrets.declare(secretName(name, 'client id'), `client id of the OAuth 2.0 scheme ${name}`),
  };
  const authUrl = urlOf('authorizationUrl');
  const tokenUrl = urlOf('tokenUrl');
  const refreshUrl = urlOf('refreshUrl');
  if (authUrl !== undefined) profile.authUrl = authUrl;
  if (tokenUrl !== undefined) profile.tokenUrl = tokenUrl;
  if (refreshUrl !== undefined) profile.refreshUrl = refreshUrl;
  if (flow !== 'implicit') {
    profile.clientSecret = secrets.declare(secretName(name, 'client secret'), `client secret of the OAuth 2.0 scheme ${name}`);
  }
  if (flow === 'password') {
    profile.username = secrets.declare(secretName(name, 'username'), `resource owner of the OAuth 2.0 scheme ${name}`);
    profile.password = secrets.declare(secretName(name, 'password'), `resource owner's password of the OAuth 2.0 scheme ${name}`);
  }
  const scopes = isObject(settings.scopes) ? Object.keys(settings.scopes) : [];
  if (scopes.length > 0) profile.scope = scopes.join(' ');
  return profile;
}

/**
 * OpenID Connect: the discovery document gives the endpoints; the authorization code grant (with
 * PKCE) signs in. The document is fetched at import time (OpenID Connect Discovery 1.0 §4); one that
 * cannot be read, or is not a discovery document (§3: `issuer`, `authorization_endpoint`,
 * `token_endpoint`; §4.3: `issuer` identical to the URL before `/.well-known/openid-configuration`)
 * is an error at the scheme's `openIdConnectUrl`: the profile would not work.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
async function discoverOpenIdConnect(name: string, url: string, options: SecurityOptions): Promise<Record<string, unknown>> {
  const location = options.locate?.(['components', 'securitySchemes', name, 'openIdConnectUrl']);
  const fail = (title: string, message: string, hint: string) =>
    new SortieError(ErrorCode.INVALID_INPUT, title, `security scheme ${name}: ${message}`, {
      hint,
      ...(location === undefined ? {} : { location }),
    });
  const fetchJson = options.fetchJson ?? fetchDiscoveryDocument;
  let discovery: unknown;
  try {
    discovery = await fetchJson(url);
  } catch (error) {
    if (error instanceof MalformedDiscovery) {
      throw fail(
        'Invalid OpenID Connect discovery',
        `${url} is not an OpenID Connect discovery document (${error.message})`,
        DISCOVERY_HINT,
      );
    }
    throw fail(
      'OpenID Connect discovery failed',
      `cannot read the discovery document ${url} (${describeFetchError(error)})`,
      'the provider must be reachable when importing: check openIdConnectUrl, or remove the scheme and add the auth profile by hand',
    );
  }
  const missing = isObject(discovery)
    ? ['issuer', 'authorization_endpoint', 'token_endpoint'].filter((key) => typeof discovery[key] !== 'string' || discovery[key] === '')
    : ['issuer', 'authorization_endpoint', 'token_endpoint'];
  if (!isObject(discovery) || missing.length > 0) {
    throw fail(
      'Invalid OpenID Connect discovery',
      `${url} is not an OpenID Connect discovery document (${isObject(discovery) ? `no ${missing.join(', ')}` : 'not a JSON object'})`,
      DISCOVERY_HINT,
    );
  }
  const suffix = '/.well-known/openid-configuration';
  const issuer = String(discovery.issuer);
  if (url.endsWith(suffix) && issuer.replace(/\/$/, '') !== url.slice(0, -suffix.length).replace(/\/$/, '')) {
    throw fail(
      'Invalid OpenID Connect discovery',
      `the issuer ${issuer} of ${url} is not the URL it was read from (OpenID Connect Discovery §4.3)`,
      DISCOVERY_HINT,
    );
  }
  const profile: Record<string, unknown> = {
    type: 'oauth2',
    grant: 'authorization_code',
    authUrl: discovery.authorization_endpoint,
    tokenUrl: discovery.token_endpoint,
    clientId: options.secrets.declare(secretName(name, 'client id'), `client id at the OpenID Connect provider of ${name}`),
    clientSecret: options.secrets.declare(secretName(name, 'client secret'), `client secret at the OpenID Connect provider of ${name}`),
    // An OpenID Connect request must ask for the openid scope (OpenID Connect Core 1.0 §3.1.2.1),
    // whether or not the provider lists its scopes (scopes_supported is only RECOMMENDED, Discovery §3).
    scope: 'openid',
  };
  options.notes.push(`security scheme ${name}: OpenID Connect endpoints read from ${url}; sign in once with \`sortie auth login ${name}\``);
  return profile;
}

const DISCOVERY_HINT =
  "openIdConnectUrl must name the provider's /.well-known/openid-configuration, a JSON object with issuer, authorization_endpoint and token_endpoint";

/** A discovery URL that answered, but not with a JSON document. */
class MalformedDiscovery extends Error {}

/** GET of the discovery document (10 s at most): a non-2xx answer or a body that is not JSON is a MalformedDiscovery. */
async function fetchDiscoveryDocument(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new MalformedDiscovery(`HTTP ${response.status}`);
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedDiscovery('the answer is not JSON');
  }
}

function describeFetchError(error: unknown): string {
  // fetch rejects with "fetch failed"; the reason (ECONNREFUSED, a timeout, "bad port") is its cause.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
