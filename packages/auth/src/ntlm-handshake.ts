/**
 * NTLM authenticates a connection, not a request: the handshake runs on a connection of its own, and the final
 * request must go on that connection.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/c50a85f0-5940-42d8-9e82-ed206902e919
 */
import { getHeaderValues, type HttpResponse, type PreparedRequest } from '@sortie/core';
import { ntlmAuthenticate, ntlmNegotiate } from './signing/ntlm.js';
import type { NtlmProfile } from './signing/profiles.js';

/** A connection of its own to one origin (the HTTP client's dedicated connection). */
export interface AuthConnection {
  readonly origin: string;
  send(request: PreparedRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/** A request bound to the connection it must be sent on (the HTTP client sends it there). */
export type BoundRequest = PreparedRequest & { connection?: AuthConnection };

/**
 * Sends the NEGOTIATE message (the request without its body) on `connection`, answers the 401's CHALLENGE and
 * returns the request with the AUTHENTICATE message, bound to that connection, so the step's ordinary send (body
 * included) goes on it. The connection closes after that send; a retry of the step cannot reuse it.
 */
export async function authorizeNtlm(request: PreparedRequest, profile: NtlmProfile, connection: AuthConnection): Promise<BoundRequest> {
  try {
    const withoutBody = request.headers.filter(([name]) => !/^(authorization|content-length|content-type)$/i.test(name));
    const negotiate: PreparedRequest = {
      ...request,
      headers: [...withoutBody, ['Authorization', ntlmNegotiate()]],
      body: undefined,
      followRedirects: false,
    };
    const challenge = await connection.send(negotiate);
    const once = closeAfterSend(connection);
    // A server that does not ask for credentials gets the request as it is, on the same connection.
    if (challenge.status !== 401) return { ...request, connection: once };
    const authenticate = ntlmAuthenticate(getHeaderValues(challenge.headers, 'www-authenticate'), profile);
    const headers = request.headers.filter(([name]) => name.toLowerCase() !== 'authorization');
    return { ...request, headers: [...headers, ['Authorization', authenticate]], connection: once };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** The connection for one send: it is closed once the response (or the error) is in. */
function closeAfterSend(connection: AuthConnection): AuthConnection {
  return {
    origin: connection.origin,
    send: (request) => connection.send(request).finally(() => connection.close()),
    close: () => connection.close(),
  };
}
