/**
 * `@sortie/auth/session`: the engine's entry to auth. Most runs use no auth, or only on some requests, and the
 * signing schemes bring `jose` and friends; so this module is small and loads the session (and with it the rest of
 * the package) on the first request that names a profile.
 */
import type { AuthChoice, HttpResponse, PreparedRequest } from '@sortie/core';
import type { AuthAnswer, AuthSession, AuthSessionOptions } from './auth-session.js';
import { registerCredentialHeaders } from './credential-headers.js';
import { type AuthScope, readAuthChoice } from './select-profile.js';
import type { SendRequest } from './send-auth-request.js';

export { ProfileFieldError } from './auth-error.js';
export type { AuthAnswer, AuthSessionOptions } from './auth-session.js';
export type { AuthConnection } from './ntlm-handshake.js';
export type { AuthScope } from './select-profile.js';
export type { SharedTokenStore } from './shared-token-store.js';

/** The run's auth, as the engine sees it: the methods of {@link AuthSession}. */
export interface RunAuth {
  authorize(choice: AuthChoice | undefined, request: PreparedRequest, scope: AuthScope): Promise<PreparedRequest>;
  answer(sent: PreparedRequest, response: HttpResponse, resend: SendRequest): Promise<AuthAnswer>;
  close(): Promise<void>;
}

/** Opens the run's auth session; the session itself is created on the first request with a profile. */
export function openAuthSession(options: AuthSessionOptions): RunAuth {
  let session: Promise<AuthSession> | undefined;
  return {
    async authorize(choice, request, scope) {
      if (readAuthChoice(choice, scope) === undefined) {
        registerCredentialHeaders(request, options.redactor);
        return request;
      }
      session ??= import('./auth-session.js').then(({ AuthSession }) => new AuthSession(options));
      return (await session).authorize(choice, request, scope);
    },
    async answer(sent, response, resend) {
      if (session === undefined) return { request: sent, response };
      return (await session).answer(sent, response, resend);
    },
    async close() {
      await (await session?.catch(() => undefined))?.close();
    },
  };
}
