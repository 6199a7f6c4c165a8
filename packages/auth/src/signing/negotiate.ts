/**
 * HTTP Negotiate (SPNEGO over Kerberos, RFC 4559) with the `kerberos` native package. The ticket
 * comes from the process's credential cache (`kinit`, KRB5CCNAME) and krb5.conf (KRB5_CONFIG).
 * The native module is loaded on first use only.
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-4
 */
import { createRequire } from 'node:module';
import { ErrorCode, getHeaderValues, type HeaderList, type PreparedRequest, SortieError } from '@sortie/core';
import { parseChallenges } from './parse-challenges.js';
import type { NegotiateProfile } from './profiles.js';
import { setHeader } from './request-parts.js';

/** The part of the `kerberos` package used here (it ships no type definitions). */
interface KerberosClient {
  step(challenge: string): Promise<string>;
  contextComplete: boolean;
}
interface KerberosModule {
  initializeClient(service: string, options: { mechOID?: unknown; flags?: number }): Promise<KerberosClient>;
  GSS_MECH_OID_SPNEGO: unknown;
  GSS_C_MUTUAL_FLAG: number;
  GSS_C_SEQUENCE_FLAG: number;
  GSS_C_DELEG_FLAG: number;
}

let kerberosModule: KerberosModule | undefined;

function loadKerberos(): KerberosModule {
  if (kerberosModule === undefined) {
    try {
      kerberosModule = createRequire(import.meta.url)('kerberos') as KerberosModule;
    } catch (error) {
      // An optional dependency of the package: absent (npm skipped it: no compiler, no Kerberos headers),
      // not built for this Node.js, or built but without the system's GSS-API library to load.
      const reason = (error as Error | undefined)?.message?.split('\n')[0] ?? String(error);
      throw new SortieError(
        ErrorCode.NOT_INSTALLED,
        'Negotiate unavailable',
        `the native module kerberos could not be loaded on Node.js ${process.versions.node} (${reason})`,
        {
          cause: error,
          hint: 'it is an optional dependency of sortie: install it where sortie is (npm i -g kerberos, or npm i kerberos in a project); npm builds it with the Kerberos development files (Debian: libkrb5-dev) and it runs with the system library (Debian: libgssapi-krb5-2)',
        },
      );
    }
  }
  return kerberosModule;
}

/** One SPNEGO security context: keep it to check the server's mutual-authentication token. */
export interface NegotiateContext {
  client: KerberosClient;
}

/**
 * Starts a security context for the request's host and returns the request with
 * `Authorization: Negotiate <token>`, plus the context for `verifyNegotiateResponse()`.
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-4.2
 */
export async function signNegotiate(
  request: PreparedRequest,
  profile: NegotiateProfile,
): Promise<{ request: PreparedRequest; context: NegotiateContext }> {
  const kerberos = loadKerberos();
  const service = profile.servicePrincipal ?? `HTTP@${new URL(request.url).hostname}`;
  let flags = kerberos.GSS_C_MUTUAL_FLAG | kerberos.GSS_C_SEQUENCE_FLAG;
  if (profile.delegate) flags |= kerberos.GSS_C_DELEG_FLAG;
  try {
    const client = await kerberos.initializeClient(service, { mechOID: kerberos.GSS_MECH_OID_SPNEGO, flags });
    const token = await client.step('');
    return { request: setHeader(request, 'Authorization', `Negotiate ${token}`), context: { client } };
  } catch (error) {
    throw new SortieError(ErrorCode.AUTH, 'Negotiate failed', `no Kerberos ticket could be obtained for ${service}`, {
      cause: error,
      hint: 'Run kinit (or set KRB5CCNAME) and check KRB5_CONFIG, the service principal and the clock.',
    });
  }
}

/**
 * Completes mutual authentication with the server's final `WWW-Authenticate: Negotiate <token>`
 * (on the 200). Returns true when the server proved its identity, false when it sent no token.
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-5
 */
export async function verifyNegotiateResponse(context: NegotiateContext, responseHeaders: HeaderList): Promise<boolean> {
  const token = parseChallenges(getHeaderValues(responseHeaders, 'www-authenticate')).find(
    (c) => c.scheme.toLowerCase() === 'negotiate' && c.token68 !== undefined,
  )?.token68;
  if (token === undefined) return false;
  try {
    await context.client.step(token);
  } catch (error) {
    throw new SortieError(ErrorCode.AUTH, 'Negotiate mutual authentication', 'the server token did not verify', { cause: error });
  }
  return context.client.contextComplete;
}
