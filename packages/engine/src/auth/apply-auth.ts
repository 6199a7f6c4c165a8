import type { NtlmProfile } from '@sortie/auth';
import { ErrorCode, getHeaderValues, type HttpResponse, type PreparedRequest, SortieError } from '@sortie/core';
import type { DedicatedConnection, HttpRequest } from '@sortie/http';
import type { ScenarioContext } from '../context.js';
import type { ResolvedAuth } from './resolve-auth.js';

const TOKEN_TYPES = new Set(['bearer', 'basic', 'apiKey', 'oauth2', 'customToken']);

/**
 * Run cycle step 4: attaches the credential to the final request — after templating and
 * pre-request scripts, so signing schemes sign the exact bytes that are sent. Token profiles go
 * through the auth-state manager (cached, refreshed, single-flight); signing profiles sign here.
 */
export async function authorize(auth: ResolvedAuth, request: PreparedRequest, ctx: ScenarioContext): Promise<PreparedRequest> {
  const { profile, name } = auth;
  if (TOKEN_TYPES.has(profile.type)) {
    const manager = await ctx.auth.manager();
    return manager.apply(name, profile as Parameters<typeof manager.apply>[1], request);
  }
  const signing = await import('@sortie/auth');
  for (const secret of signing.secretsOf(profile as Parameters<typeof signing.secretsOf>[0])) ctx.redactor.add(secret);
  switch (profile.type) {
    case 'oauth1':
      return signing.signOAuth1(request, profile);
    case 'awsv4':
      return signing.signAwsV4(request, profile);
    case 'akamaiEdgegrid':
      return signing.signEdgegrid(request, profile);
    case 'jwt':
      return signing.signJwt(request, profile);
    case 'hawk': {
      const offset = ctx.auth.hawkOffsets.get(name);
      return signing.signHawk(request, profile, offset === undefined ? {} : { localtimeOffsetMs: offset });
    }
    case 'digest':
      return signing.signDigest(request, profile, await ctx.auth.digestSession(name));
    case 'negotiate':
      return (await signing.signNegotiate(request, profile)).request;
    case 'ntlm':
      return authorizeNtlm(request, profile, ctx);
    default:
      throw new SortieError(ErrorCode.AUTH, 'Unknown auth scheme', `auth profile "${name}" has the unknown type "${profile.type}"`);
  }
}

/**
 * NTLM authenticates a connection, not a request: on a dedicated connection, sends the NEGOTIATE
 * message (the request without its body), answers the 401's CHALLENGE and returns the request with
 * the AUTHENTICATE message bound to that connection, so the step's ordinary send (body included)
 * goes on it. The connection closes after that send; a retry of the step cannot reuse it.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/c50a85f0-5940-42d8-9e82-ed206902e919
 */
async function authorizeNtlm(request: PreparedRequest, profile: NtlmProfile, ctx: ScenarioContext): Promise<HttpRequest> {
  const { ntlmAuthenticate, ntlmNegotiate } = await import('@sortie/auth');
  const dedicated = ctx.http.sendOnDedicatedConnection(request.url);
  try {
    const withoutBody = request.headers.filter(([name]) => !/^(authorization|content-length|content-type)$/i.test(name));
    const negotiate: PreparedRequest = {
      ...request,
      headers: [...withoutBody, ['Authorization', ntlmNegotiate()]],
      body: undefined,
      followRedirects: false,
    };
    const challenge = await dedicated.send(negotiate);
    const connection = closeAfterSend(dedicated);
    // A server that does not ask for credentials gets the request as it is, on the same connection.
    if (challenge.status !== 401) return { ...request, connection };
    const authenticate = ntlmAuthenticate(getHeaderValues(challenge.headers, 'www-authenticate'), profile);
    const headers = request.headers.filter(([name]) => name.toLowerCase() !== 'authorization');
    return { ...request, headers: [...headers, ['Authorization', authenticate]], connection };
  } catch (error) {
    await dedicated.close();
    throw error;
  }
}

/** The connection for one send: it is closed once the response (or the error) is in. */
function closeAfterSend(connection: DedicatedConnection): DedicatedConnection {
  return {
    origin: connection.origin,
    send: (request) => connection.send(request).finally(() => connection.close()),
    close: () => connection.close(),
  };
}

/**
 * After a response: the request to send once more, or undefined. Digest answers a 401 challenge;
 * Hawk corrects its clock from a stale-timestamp 401; a token profile whose token was rejected
 * (401 or the profile's "expired" body pattern) gets a refreshed token.
 */
export async function answerChallenge(
  auth: ResolvedAuth,
  sent: PreparedRequest,
  unsigned: PreparedRequest,
  response: HttpResponse,
  ctx: ScenarioContext,
): Promise<PreparedRequest | undefined> {
  const { profile, name } = auth;
  if (TOKEN_TYPES.has(profile.type)) {
    const manager = await ctx.auth.manager();
    const typed = profile as Parameters<typeof manager.apply>[1];
    if (!manager.isRejected(name, typed, response, sent)) return undefined;
    return manager.apply(name, typed, unsigned);
  }
  if (response.status !== 401) return undefined;
  const signing = await import('@sortie/auth');
  if (profile.type === 'digest')
    return signing.answerDigestChallenge(unsigned, response.headers, profile, await ctx.auth.digestSession(name));
  if (profile.type === 'hawk') {
    const offset = signing.computeHawkOffset(getHeaderValues(response.headers, 'www-authenticate'), profile);
    if (offset === undefined) return undefined;
    ctx.auth.hawkOffsets.set(name, offset);
    return signing.signHawk(unsigned, profile, { localtimeOffsetMs: offset });
  }
  return undefined;
}
